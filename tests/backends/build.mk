# tests/backends: every guest program gives the same output and the same
# instruction count on every backend, and survives code-cache flushes.
.PHONY: check-backends
check-backends: guest-progs $(JET86)
	tests/backends/check.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--dir $(GUEST_OUT) --timeout $(GUEST_TIMEOUT)

CHECK_TARGETS += check-backends
