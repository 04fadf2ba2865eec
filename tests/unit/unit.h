/*
 * unit.h - the shared main() of the Check unit test programs: every
 * tests/unit/test_*.c ends with UNIT_MAIN(its_suite) and is built as its own
 * program by tests/unit/build.mk.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <check.h>
#include <stdlib.h>

/* Run the suite returned by suite_fn() with CK_NORMAL output; exit status is
 * non-zero when any test failed, so `make check-unit` notices. */
#define UNIT_MAIN(suite_fn)                                                    \
    int main(void)                                                             \
    {                                                                          \
        SRunner *unit_sr = srunner_create(suite_fn());                         \
        srunner_run_all(unit_sr, CK_NORMAL);                                   \
        int unit_failed = srunner_ntests_failed(unit_sr);                      \
        srunner_free(unit_sr);                                                 \
        return unit_failed ? EXIT_FAILURE : EXIT_SUCCESS;                      \
    }

#endif
