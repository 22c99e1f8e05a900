/*
 * rid_core.h
 *		The robot identity code without PostgreSQL: parse, format, compare,
 *		split, prefix ranges and sort abbreviation.
 *
 * A code is 29 decimal digits: country (2), manufacturer (4), model (6) and
 * serial (17).  In memory it is two integers, the 12-digit model key and the
 * 17-digit serial, which compare exactly like the digit string.  On disk it
 * is those two integers big-endian in 16 bytes, so memcmp order is code order.
 *
 * Nothing here allocates or reports errors itself: callers get a status and
 * a filled-in error record to phrase in their own way.
 */
#ifndef RID_CORE_H
#define RID_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RID_DIGITS				29
#define RID_COUNTRY_DIGITS		2
#define RID_MANUFACTURER_DIGITS 4
#define RID_MODEL_DIGITS		6
#define RID_SERIAL_DIGITS		17
#define RID_MODEL_KEY_DIGITS	12
#define RID_STORAGE_SIZE		16
/* longest output of rid_format_grouped, without the terminating NUL */
#define RID_GROUPED_LENGTH		32

#define RID_MODEL_KEY_LIMIT		UINT64_C(1000000000000)
#define RID_SERIAL_LIMIT		UINT64_C(100000000000000000)

typedef struct rid_code
{
	uint64_t	model_key;		/* country, manufacturer and model: < 10^12 */
	uint64_t	serial;			/* < 10^17 */
} rid_code;

typedef enum rid_component
{
	RID_COUNTRY,
	RID_MANUFACTURER,
	RID_MODEL,
	RID_SERIAL,
	RID_MANUFACTURER_KEY,		/* country + manufacturer */
	RID_MODEL_KEY				/* country + manufacturer + model */
} rid_component;

typedef enum rid_status
{
	RID_OK = 0,
	RID_ERR_EMPTY,				/* nothing but blanks */
	RID_ERR_CHARACTER,			/* a byte that is neither digit nor separator */
	RID_ERR_NOT_DIGIT,			/* a prefix or component byte that is no digit */
	RID_ERR_SEPARATOR_PLACE,	/* separator not at a component boundary */
	RID_ERR_SEPARATOR_MIXED,	/* '-' and ' ' in one code */
	RID_ERR_SEPARATOR_MISSING,	/* grouped form lacks a boundary separator */
	RID_ERR_DIGIT_COUNT,		/* not 29 digits */
	RID_ERR_TOO_LONG,			/* a prefix has too many digits */
	RID_ERR_WIDTH,				/* a component has the wrong number of digits */
	RID_ERR_RANGE				/* stored bytes out of range */
} rid_status;

/* What went wrong and where; positions are 1-based byte offsets. */
typedef struct rid_error
{
	rid_status	status;
	int			position;
	unsigned char byte;
	int			found;			/* digits found, or separator expected */
	int			expected;
} rid_error;

extern bool rid_parse(const char *str, size_t len, rid_code *out,
					  rid_error *err);
extern void rid_format(const rid_code *code, char *out);
extern void rid_format_grouped(const rid_code *code, char *out);
extern int	rid_describe(const rid_error *err, char *buf, size_t size);

extern int	rid_compare(const rid_code *a, const rid_code *b);
extern bool rid_successor(const rid_code *code, rid_code *out);
extern double rid_fraction(const rid_code *low, const rid_code *high,
						   const rid_code *x);
extern void rid_pack(const rid_code *code, unsigned char *out);
extern bool rid_unpack(const unsigned char *in, rid_code *out, rid_error *err);

extern int	rid_component_digits(rid_component component);
extern uint64_t rid_component_value(const rid_code *code,
									rid_component component);
extern void rid_component_text(const rid_code *code, rid_component component,
							   char *out);
extern bool rid_component_parse(rid_component component, const char *str,
								size_t len, uint64_t *out, rid_error *err);
extern bool rid_make(uint64_t country, uint64_t manufacturer, uint64_t model,
					 uint64_t serial, rid_code *out);

/*
 * What ANALYZE saw of one model key: the share of the sampled codes that
 * have it, and the lowest and highest serial among them.
 */
typedef struct rid_model_share
{
	uint64_t	model_key;
	uint64_t	min_serial;
	uint64_t	max_serial;
	double		share;
} rid_model_share;

extern int	rid_model_shares(rid_code *codes, int ncodes, rid_model_share *out);
extern double rid_shares_in_range(const rid_model_share *shares, int nshares,
								  const rid_code *from, const rid_code *to);

extern bool rid_prefix_range(const char *prefix, size_t len, rid_code *low,
							 rid_code *high, rid_error *err);
extern bool rid_has_prefix(const rid_code *code, const char *prefix,
						   size_t len);

extern bool rid_from_decimal(const char *digits, size_t len, rid_code *out);

/*
 * The sort key of a code relative to a reference code: see rid_abbrev.h,
 * which the sort includes to have the conversion inline.
 */
extern uint64_t rid_abbreviate(const rid_code *code, const rid_code *reference);

#endif							/* RID_CORE_H */
