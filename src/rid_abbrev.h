/*
 * rid_abbrev.h
 *		Sort abbreviation of a robot identity code, without PostgreSQL.
 *
 * Inline, because a sort converts every row it reads: the converter in
 * robot_id_sort.c makes no call into another object per row, and builds
 * the arithmetic a second time for BMI2.  bench/abbrev_convert.c times the
 * conversion alone: 13 to 22 ns a code in the BMI2 build against uuid's 3
 * on the development machine, as its speed goes.
 */
#ifndef RID_ABBREV_H
#define RID_ABBREV_H

#include "rid_core.h"

/* What the keys need of the reference, the first code a sort sees. */
typedef struct rid_abbrev_origin
{
	uint64_t	country;
	uint64_t	serial_high;	/* serial / 10^9 */
} rid_abbrev_origin;

/*
 * Sort abbreviation: the first 64 bits of an order-preserving,
 * variable-length encoding of the code, so that a field costs few bits when
 * its value is small or close to the reference code's (the first code a
 * sort sees), and the bits go where realistic data varies.
 *
 * Why: a code is 97 bits, but in a registry most of them never vary, and
 * which ones do depends on the data.  Any fixed 64 of the 97 bits either
 * leave out the low digits of sequential serials or the date prefix of
 * dated ones; and a key relative to the reference alone runs out of reach
 * when there are many manufacturers or serials span years.  Encoding each
 * decimal field by its length keeps a manufacturer numbered 42 to 10 bits
 * and a daily sequence to a few, so realistic codes differ within the first
 * 64 bits.
 *
 * The fields, each a prefix-free code whose bit-string order is the
 * field's order, so that their concatenation sorts as the code does:
 *
 *	 country		"01" if the reference's; else "00" or "1" (below or above)
 *					and the 7-bit country
 *	 manufacturer	its bit length (4 bits) and the bits below the leading 1
 *	 model			the same, with a 5-bit length
 *	 serial / 10^9	the distance from the reference's: "1" and the
 *					distance's 5-bit length and bits, or for a negative
 *					distance "0" and the same for -distance - 1, inverted
 *	 serial % 10^9	like the model
 *
 * Splitting the serial at 10^9 keeps a date prefix (YYYYMMDD, YYMMDD...)
 * apart from a running number: a few years of dates are a small distance
 * from the reference, a daily sequence a small number.  Cutting the string
 * at 64 bits (zeros where it is shorter) never reorders two codes, because
 * no code's string is a prefix of another's: codes that differ after the
 * 64th bit get the same key, and the comparator decides.
 */
/*
 * Each field is worked out on its own: country, manufacturer and model
 * together make at most 9 + 17 + 24 bits and are put together in one word;
 * the two serial fields (at most 32 and 34 bits) are each aligned to the
 * top of a word and shifted down to where the string has got to, the bits
 * past the 64th falling off.  Nothing branches on the data: in shuffled
 * input a branch on a field's length or on which side of the reference a
 * serial lies would be mispredicted every other code, and the sort converts
 * every row it reads (this conversion is what robot_id's sorts pay over
 * uuid's: see the README's sort benchmark).
 *
 * RID_INLINE makes the compiler inline these into every caller, so that a
 * caller built for other instructions (robot_id_sort.c's BMI2 converter)
 * gets its own copy of the arithmetic built for them.
 */
#if defined(__GNUC__) || defined(__clang__)
#define RID_INLINE static inline __attribute__((always_inline))
#else
#define RID_INLINE static inline
#endif

/*
 * Where a second build for BMI2 can be made: RID_TARGET_BMI2 marks a
 * function to build for it, rid_cpu_has_bmi2() says at run time whether
 * it may be called.  robot_id_sort.c, the unit tests and
 * bench/abbrev_convert.c all make theirs this way.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RID_HAVE_BMI2_BUILD 1
#define RID_TARGET_BMI2 __attribute__((target("bmi2")))
#define rid_cpu_has_bmi2() __builtin_cpu_supports("bmi2")
#endif

/* The bit index of value's leading 1 (0 for 0 and 1). */
RID_INLINE int
leading_bit(uint64_t value)
{
#if defined(__GNUC__) || defined(__clang__)
	return 63 - __builtin_clzll(value | 1);
#else
	int			bit = 0;

	while (value > 1)
	{
		bit++;
		value >>= 1;
	}
	return bit;
#endif
}

/*
 * value < 2^(2^length_bits - 1) as its bit length, then its bits below the
 * leading 1: longer codes for larger values, the same length for the same
 * number of bits, so bit-string order is numeric order.  Returns the code's
 * length in bits.  With b the leading 1's index, the code of a value of
 * b + 1 bits is (b + 1) << b | (value - 2^b), which is value + (b << b);
 * for 0 (length 0) it is 0, as the same sum gives.
 */
RID_INLINE int
length_code(uint64_t value, int length_bits, uint64_t *bits)
{
	int			below_leading = leading_bit(value);

	*bits = value + ((uint64_t) below_leading << below_leading);
	return length_bits + below_leading;
}

/*
 * value - reference: "1" and the distance length-coded, or for a value
 * below the reference "0" and reference - value - 1 length-coded with its
 * bits inverted, which reverses the order: the nearest value below comes
 * last.
 */
RID_INLINE int
distance_code(uint64_t value, uint64_t reference, int length_bits,
			  uint64_t *bits)
{
	uint64_t	below = -(uint64_t) (value < reference);	/* all ones or 0 */
	uint64_t	coded;
	int			n = length_code((value - reference) ^ below, length_bits, &coded);
	uint64_t	mask = (UINT64_C(1) << n) - 1;

	*bits = (~below & 1) << n | ((coded ^ below) & mask);
	return n + 1;
}

#define ABBREV_SERIAL_SPLIT		UINT64_C(1000000000)

/* What the keys need of the reference, worked out once per sort. */
RID_INLINE void
rid_abbrev_origin_set(const rid_code *reference, rid_abbrev_origin *origin)
{
	origin->country = reference->model_key / UINT64_C(10000000000);
	origin->serial_high = reference->serial / ABBREV_SERIAL_SPLIT;
}

RID_INLINE uint64_t
rid_abbreviate_from(const rid_code *code, const rid_abbrev_origin *origin)
{
	/* literal divisors: the compiler turns them into multiplications */
	uint64_t	maker_key = code->model_key / UINT64_C(1000000);	/* < 10^6 */
	uint64_t	model = code->model_key - maker_key * UINT64_C(1000000);
	uint32_t	country = (uint32_t) maker_key / 10000;
	uint64_t	manufacturer = (uint32_t) maker_key - country * 10000;
	uint64_t	serial_high = code->serial / ABBREV_SERIAL_SPLIT;
	uint64_t	serial_low = code->serial - serial_high * ABBREV_SERIAL_SPLIT;
	bool		same = country == origin->country;
	bool		lower = country < origin->country;
	uint64_t	head = same ? 1 : lower ? country : (UINT64_C(1) << 7 | country);
	int			head_length = same ? 2 : lower ? 2 + 7 : 1 + 7;
	uint64_t	bits,
				high_bits,
				low_bits;
	int			n,
				high_length,
				low_length,
				low_start;

	/* country, manufacturer and model: 11 to 50 bits */
	n = length_code(manufacturer, 4, &bits);
	head = head << n | bits;
	head_length += n;
	n = length_code(model, 5, &bits);
	head = head << n | bits;
	head_length += n;
	/* the serial's fields: 6 to 32 bits, and 5 to 34 */
	high_length = distance_code(serial_high, origin->serial_high, 5, &high_bits);
	low_length = length_code(serial_low, 5, &low_bits);
	/* where serial % 10^9 starts, 17 to 82 bits in: two shifts below 64 */
	low_start = head_length + high_length;
	return head << (64 - head_length) |
		(high_bits << (64 - high_length)) >> head_length |
		((low_bits << (64 - low_length)) >> (low_start / 2)) >> (low_start - low_start / 2);
}

#endif							/* RID_ABBREV_H */
