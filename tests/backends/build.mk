# tests/backends: every guest program gives the same output and the same
# instruction count on every backend, and survives code-cache flushes;
# so does pseudo-random real-mode code (randreal.asm, one kernel per seed).
BACKENDS_OUT := $(or $(BUILD),build)/tests/backends
# Seeds whose runs end through the handler (IRQ0 or the exception limit)
# (41, 44, 166 and 168 caught blocks that ran on past a page boundary)
# with a readable report; a seed whose run stops ending (a change in what
# some instruction does) is replaced by another that ends.
RANDREAL_SEEDS := 41 44 166 168 1 4 6 8 9 14 17 24 47
RANDREAL_BINS := $(RANDREAL_SEEDS:%=$(BACKENDS_OUT)/randreal-%.bin)

$(BACKENDS_OUT)/randreal-%.bin: tests/backends/randreal.asm
	@mkdir -p $(dir $@)
	$(GUEST_NASM) -f bin -DSEED=$* -o $@ $<

.PHONY: check-backends
check-backends: guest-progs $(RANDREAL_BINS) $(JET86)
	tests/backends/check.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--dir $(GUEST_OUT) --rand "$(RANDREAL_BINS)" --timeout $(GUEST_TIMEOUT)

CHECK_TARGETS += check-backends
