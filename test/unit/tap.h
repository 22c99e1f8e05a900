/*
 * tap.h
 *		A minimal TAP producer for the C unit tests.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>

static int	tap_run = 0;
static int	tap_failed = 0;

static void
check(int ok, const char *what)
{
	tap_run++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", tap_run, what);
}

/* Prints the plan and the summary line the test command counts. */
static int
tap_finish(void)
{
	printf("1..%d\n", tap_run);
	printf("# %d passed, %d failed\n", tap_run - tap_failed, tap_failed);
	return tap_failed == 0 ? 0 : 1;
}

#endif							/* TAP_H */
