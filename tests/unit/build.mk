# tests/unit/build.mk - every tests/unit/test_*.c is one standalone Check
# program linked with libjet86.a; `make check-unit` builds and runs them all
# (through $(TEST_RUNNER) in a cross build). `make check-unit UNIT=pic` runs
# only test_pic. Tests of the native backend are named test_x86_64*.c.
# test_x86_64_*: the native backend's own tests, in builds that have it.
UNIT_SRCS := $(filter-out $(if $(CONFIG_BACKEND_X86_64),,tests/unit/test_x86_64%),\
	$(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
# Check forks a child per test, which hangs under qemu-user: a cross build
# runs the tests in-process.
UNIT_ENV := CK_DEFAULT_TIMEOUT=60 $(if $(CROSS),CK_FORK=no)
UNIT_RUN := $(if $(UNIT),$(filter %/test_$(UNIT),$(UNIT_BINS)),$(UNIT_BINS))

$(BUILD)/tests/unit/%.o: tests/unit/%.c config.h config.mk
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit/test_%: $(BUILD)/tests/unit/test_%.o $(LIBJET86)
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBJET86) $(CHECK_LIBS) $(JET86_LIBS)

.PHONY: unit-progs check-unit
unit-progs: $(UNIT_BINS)

# Runs every program even after a failure, then fails if any did.
check-unit: $(UNIT_BINS)
	@failed=""; for t in $(UNIT_RUN); do \
		echo "== $$t"; \
		$(UNIT_ENV) $(TEST_RUNNER) ./$$t || failed="$$failed $${t##*/}"; \
	done; \
	if [ -n "$$failed" ]; then echo "check-unit: FAILED:$$failed"; exit 1; fi; \
	echo "check-unit: $(words $(UNIT_RUN)) programs passed"

CHECK_TARGETS += check-unit

-include $(UNIT_BINS:%=%.d)
