# tests/backends: every guest program gives the same output and the same
# instruction count on every backend, and survives code-cache flushes;
# so does pseudo-random real-mode code (randreal.asm, one kernel per seed)
# and pseudo-random 32-bit code at CPL 3 (randring3.c, seeds on -append).
BACKENDS_OUT := $(or $(BUILD),build)/tests/backends
# Seeds whose runs end through the handler (IRQ0 or the exception limit)
# (41, 44, 166 and 168 caught blocks that ran on past a page boundary)
# with a readable report; a seed whose run stops ending (a change in what
# some instruction does) is replaced by another that ends. 24 and 47 were
# replaced by 48 and 159 when the BIOS's POST and service stubs came (the
# IVT and BDA are no longer zero, and code that jumps into the ROM now
# runs BIOS services): 24 no longer printed a readable report, 47 no
# longer wrote into its own code.
RANDREAL_SEEDS := 41 44 166 168 1 4 6 8 9 14 17 48 58
RANDREAL_BINS := $(RANDREAL_SEEDS:%=$(BACKENDS_OUT)/randreal-%.bin)

$(BACKENDS_OUT)/randreal-%.bin: tests/backends/randreal.asm
	@mkdir -p $(dir $@)
	$(GUEST_NASM) -f bin -DSEED=$* -o $@ $<

# randring3: linked with the guest runtime; its handlers use the x87
# through asm (FNSAVE, FNCLEX), hence the x87 programs' flags.
RANDRING3 := $(BACKENDS_OUT)/randring3.elf
# seeds and the run's length in PIT ticks of 119 PIT clocks (99,733 ns:
# as many guest instructions under -icount shift=0): 101 ticks, 10,073,000
# instructions from the first one at CPL 3 to the report (about half a
# second natively, 4 to 5 s under the sanitizers, where .ci/run runs it)
RANDRING3_SEEDS ?= 1 2 3 4
RANDRING3_TICKS ?= 101

# (tests/guest/build.mk may be read after this file: its variables are
# used in recipes only, the prerequisites are spelled out)
RANDRING3_RT := $(or $(BUILD),build)/tests/guest/rt/entry.asm.o $(or $(BUILD),build)/tests/guest/rt/rt.c.o

$(BACKENDS_OUT)/randring3.c.o: tests/backends/randring3.c tests/guest/rt/rt.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_X87_CFLAGS) -c $< -o $@

$(RANDRING3): $(RANDRING3_RT) $(BACKENDS_OUT)/randring3.c.o tests/guest/rt/link.ld
	$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(RANDRING3_RT) $(BACKENDS_OUT)/randring3.c.o

.PHONY: check-backends
check-backends: guest-progs $(RANDREAL_BINS) $(RANDRING3) $(JET86)
	tests/backends/check.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--dir $(GUEST_OUT) --rand "$(RANDREAL_BINS)" --timeout $(GUEST_TIMEOUT) \
		--ring3 "$(RANDRING3)" --ring3-seeds "$(RANDRING3_SEEDS)" \
		--ring3-ticks $(RANDRING3_TICKS)

CHECK_TARGETS += check-backends
