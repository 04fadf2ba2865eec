# tests/diff/build.mk - the differential test against the host CPU: the
# same case generator built as an x86-64 Linux program (diff-native64: the
# cases that run the same in 64-bit mode, re-encoded), as an i386 Linux
# program (diff-native32: every case, where the kernel runs 32-bit code)
# and as a Multiboot guest (diff.elf, gcc -m32 -ffreestanding); run.sh runs
# them and compares the results (README.md).
#   make check-diff        host CPU vs jet86 (skipped in a cross build)
#   make check-diff-long   the same with 50,000,000 cases per backend
#   make check-diff-qemu   host CPU vs qemu-system-i386 (forms with a known
#                          QEMU bug skipped)
#   make diff-record       record the 32-bit-only cases on a host that runs
#                          32-bit code, for hosts that do not
# DIFF_ARGS passes options to both sides, e.g. DIFF_ARGS="seed=7 n=4000000".

DIFF_DIR := tests/diff
DIFF_OUT := $(DIFF_DIR)/build
DIFF_CC ?= gcc
DIFF_LD ?= ld
DIFF_QEMU ?= qemu-system-i386
# jet86 backends to run (-accel tcg,backend=B); "all": those the binary lists.
DIFF_BACKENDS ?= all
DIFF_ARGS ?=
# make check: 1.5 million single instructions and half a million sequences
# of 1-8 instructions (seq=1) per backend (the interp backend runs the
# guest's case generator slowly: a sequence costs it four single cases);
# check-diff-long: 50 million per backend.
DIFF_RUNS ?= n=1572864 seq=1+n=524288
DIFF_LONG_RUNS ?= n=25000000 seq=1+n=25000000
# Sequences in 16-bit code: the guest only, one backend against the other.
DIFF_CODE16_RUNS ?= code16=1+n=65536
DIFF_LONG_CODE16_RUNS ?= code16=1+n=1048576
DIFF_TIMEOUT ?= 900
DIFF_EXIT_DEV := -device isa-debug-exit,iobase=0xf4,iosize=4

DIFF_COMMON := diff_run.c diff_gen.c diff_seq.c diff_forms.c diff_mode64.c
DIFF_HDRS := $(DIFF_DIR)/diff.h $(DIFF_DIR)/diff_gen.h $(DIFF_DIR)/diff_mode64.h
DIFF_WARN := -std=gnu11 -O2 -Wall -Wextra -Werror -I.
DIFF_NATIVE32_CFLAGS := -m32 -march=i686 -g -fno-pie -no-pie $(DIFF_WARN)
DIFF_NATIVE64_CFLAGS := -m64 -g -fPIE -pie $(DIFF_WARN)
DIFF_GUEST_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -nostdlib \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-mgeneral-regs-only $(DIFF_WARN)
DIFF_GUEST_OBJS := $(patsubst %,$(DIFF_OUT)/guest/%.o,diff_guest_start.S diff_guest.c diff_exec.S $(DIFF_COMMON))
DIFF_RECORDED := $(DIFF_DIR)/recorded
DIFF_HOST32 := scripts/host32.sh

# The 64-bit harness runs on any x86-64 host; the 32-bit one needs a kernel
# that runs 32-bit programs (scripts/host32.sh), but is always built.
$(DIFF_OUT)/diff-native64: $(patsubst %,$(DIFF_DIR)/%,diff_host.c diff_exec64.S $(DIFF_COMMON)) $(DIFF_HDRS)
	@mkdir -p $(dir $@)
	$(DIFF_CC) $(DIFF_NATIVE64_CFLAGS) -o $@ $(filter %.c %.S,$^)

# Whether this host lets a process run 16-bit code (printed with the
# 16-bit cases' count).
$(DIFF_OUT)/diff-probe16: $(DIFF_DIR)/diff_probe16.c
	@mkdir -p $(dir $@)
	$(DIFF_CC) $(DIFF_NATIVE64_CFLAGS) -o $@ $<

$(DIFF_OUT)/diff-native32: $(patsubst %,$(DIFF_DIR)/%,diff_host.c diff_exec.S $(DIFF_COMMON)) $(DIFF_HDRS)
	@mkdir -p $(dir $@)
	$(DIFF_CC) $(DIFF_NATIVE32_CFLAGS) -o $@ $(filter %.c %.S,$^)

$(DIFF_OUT)/guest/%.o: $(DIFF_DIR)/% $(DIFF_HDRS)
	@mkdir -p $(dir $@)
	$(DIFF_CC) $(DIFF_GUEST_CFLAGS) -c $< -o $@

$(DIFF_OUT)/diff.elf: $(DIFF_GUEST_OBJS) $(DIFF_DIR)/diff_guest.ld
	$(DIFF_LD) -m elf_i386 -nostdlib -T $(DIFF_DIR)/diff_guest.ld --no-warn-rwx-segments \
		-o $@ $(DIFF_GUEST_OBJS)

.PHONY: diff-progs check-diff check-long check-diff-long check-diff-qemu diff-record
diff-progs: $(DIFF_OUT)/diff-native64 $(DIFF_OUT)/diff-native32 $(DIFF_OUT)/diff.elf \
	$(DIFF_OUT)/diff-probe16

# Deferred (=): check-diff-long's own DIFF_TIMEOUT must reach --timeout.
DIFF_RUN = $(DIFF_DIR)/run.sh --native64 $(DIFF_OUT)/diff-native64 \
	--native32 $(DIFF_OUT)/diff-native32 --recorded $(DIFF_RECORDED) --elf $(DIFF_OUT)/diff.elf \
	--timeout $(DIFF_TIMEOUT)

# The native side needs the x86 host CPU: a cross build (or any build whose
# programs run through a TEST_RUNNER) skips the test rather than failing.
ifneq ($(strip $(CROSS)$(TEST_RUNNER)),)
check-diff:
	@echo "check-diff: skipped: cross build (the native side needs the x86 host CPU)"
else
check-diff: diff-progs $(JET86)
	@$(call diff_check,$(DIFF_RUNS),$(DIFF_CODE16_RUNS))

# The long run (not part of make check): 50,000,000 cases per backend.
check-long: check-diff-long
check-diff-long: DIFF_TIMEOUT = 36000
check-diff-long: diff-progs $(JET86)
	@$(call diff_check,$(DIFF_LONG_RUNS),$(DIFF_LONG_CODE16_RUNS))
endif

# Per backend, every run of $(1) (words; "+" stands for a space inside one
# run's options), each with DIFF_ARGS added; then the runs of $(2) (16-bit
# code, not run on the host) on the first two backends, which must agree.
define diff_check
backends="$(DIFF_BACKENDS)"; \
if [ "$$backends" = all ]; then \
	backends=$$(./$(JET86) -accel tcg,backend=help 2>/dev/null | grep -v ':'); \
	[ -n "$$backends" ] || backends=interp; \
fi; \
status=0; \
for be in $$backends; do \
	for run in $(1); do \
		a=$$(echo "$$run" | tr + ' '); \
		echo "check-diff: backend $$be: $$a"; \
		$(DIFF_RUN) --emu "./$(JET86) -accel tcg,backend=$$be -nographic -no-reboot -icount shift=0 $(DIFF_EXIT_DEV)" \
			--args "$$a $(DIFF_ARGS)" || status=1; \
	done; \
done; \
set -- $$backends; \
for run in $(2); do \
	a=$$(echo "$$run" | tr + ' '); \
	if [ $$# -lt 2 ]; then echo "check-diff: $$a: skipped: one backend only ($$1)"; break; fi; \
	echo "check-diff: backends $$1 and $$2: $$a"; \
	$(DIFF_RUN) --emu "./$(JET86) -accel tcg,backend=$$1 -nographic -no-reboot -icount shift=0 $(DIFF_EXIT_DEV)" \
		--emu2 "./$(JET86) -accel tcg,backend=$$2 -nographic -no-reboot -icount shift=0 $(DIFF_EXIT_DEV)" \
		--args "$$a $(DIFF_ARGS)" || status=1; \
done; \
exit $$status
endef

check-diff-qemu: diff-progs
	$(DIFF_RUN) --emu "$(DIFF_QEMU) -nographic -no-reboot $(DIFF_EXIT_DEV)" \
		--args "ref=qemu $(DIFF_ARGS)"

# Results of the 32-bit-only cases on this host's CPU, for hosts that run
# no 32-bit code: tests/diff/recorded/. Needs a host that runs 32-bit code.
diff-record: $(DIFF_OUT)/diff-native32
	@for run in $(DIFF_RUNS); do \
		$(DIFF_DIR)/record.sh --native32 $(DIFF_OUT)/diff-native32 --out $(DIFF_RECORDED) \
			--args "$$(echo "$$run" | tr + ' ') $(DIFF_ARGS)" || exit 1; \
	done

CHECK_TARGETS += check-diff
CHECK_QEMU_TARGETS += check-diff-qemu
CLEAN_FILES += $(DIFF_OUT)
