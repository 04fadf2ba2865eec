# tests/diff/build.mk - the differential test against the host CPU: the
# same case generator and executor built as a Linux i386 program
# (diff-native, gcc -m32) and as a Multiboot guest (diff.elf, gcc -m32
# -ffreestanding), both run and their results compared by run.sh.
#   make check-diff        host CPU vs jet86 (skipped in a cross build)
#   make check-diff-qemu   host CPU vs qemu-system-i386 (forms with a known
#                          QEMU bug skipped)
# DIFF_ARGS passes options to both sides, e.g. DIFF_ARGS="seed=7 n=4000000".

DIFF_DIR := tests/diff
DIFF_OUT := $(DIFF_DIR)/build
DIFF_CC ?= gcc
DIFF_LD ?= ld
DIFF_QEMU ?= qemu-system-i386
# jet86 backends to run (-accel tcg,backend=B); "all": those the binary lists.
DIFF_BACKENDS ?= all
DIFF_ARGS ?=
DIFF_TIMEOUT ?= 900
DIFF_EXIT_DEV := -device isa-debug-exit,iobase=0xf4,iosize=4

DIFF_COMMON := diff_run.c diff_gen.c diff_forms.c diff_exec.S
DIFF_HDRS := $(DIFF_DIR)/diff.h $(DIFF_DIR)/diff_gen.h
DIFF_WARN := -std=gnu11 -O2 -Wall -Wextra -Werror -I.
DIFF_NATIVE_CFLAGS := -m32 -march=i686 -g -fno-pie -no-pie $(DIFF_WARN)
DIFF_GUEST_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -nostdlib \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-mgeneral-regs-only $(DIFF_WARN)
DIFF_GUEST_OBJS := $(patsubst %,$(DIFF_OUT)/guest/%.o,diff_guest_start.S diff_guest.c $(DIFF_COMMON))

$(DIFF_OUT)/diff-native: $(patsubst %,$(DIFF_DIR)/%,diff_host.c $(DIFF_COMMON)) $(DIFF_HDRS)
	@mkdir -p $(dir $@)
	$(DIFF_CC) $(DIFF_NATIVE_CFLAGS) -o $@ $(filter %.c %.S,$^)

$(DIFF_OUT)/guest/%.o: $(DIFF_DIR)/% $(DIFF_HDRS)
	@mkdir -p $(dir $@)
	$(DIFF_CC) $(DIFF_GUEST_CFLAGS) -c $< -o $@

$(DIFF_OUT)/diff.elf: $(DIFF_GUEST_OBJS) $(DIFF_DIR)/diff_guest.ld
	$(DIFF_LD) -m elf_i386 -nostdlib -T $(DIFF_DIR)/diff_guest.ld --no-warn-rwx-segments \
		-o $@ $(DIFF_GUEST_OBJS)

.PHONY: diff-progs check-diff check-diff-qemu
diff-progs: $(DIFF_OUT)/diff-native $(DIFF_OUT)/diff.elf

# The native side needs the x86 host CPU: a cross build (or any build whose
# programs run through a TEST_RUNNER) skips the test rather than failing.
ifneq ($(strip $(CROSS)$(TEST_RUNNER)),)
check-diff:
	@echo "check-diff: skipped: cross build (the native side needs the x86 host CPU)"
else
check-diff: diff-progs $(JET86)
	@backends="$(DIFF_BACKENDS)"; \
	if [ "$$backends" = all ]; then \
		backends=$$(./$(JET86) -accel tcg,backend=help 2>/dev/null | grep -v ':'); \
		[ -n "$$backends" ] || backends=interp; \
	fi; \
	status=0; \
	for be in $$backends; do \
		echo "check-diff: backend $$be"; \
		$(DIFF_DIR)/run.sh --native $(DIFF_OUT)/diff-native --elf $(DIFF_OUT)/diff.elf \
			--emu "./$(JET86) -accel tcg,backend=$$be -nographic -no-reboot -icount shift=0 $(DIFF_EXIT_DEV)" \
			--timeout $(DIFF_TIMEOUT) --args "$(DIFF_ARGS)" || status=1; \
	done; \
	exit $$status
endif

check-diff-qemu: diff-progs
	$(DIFF_DIR)/run.sh --native $(DIFF_OUT)/diff-native --elf $(DIFF_OUT)/diff.elf \
		--emu "$(DIFF_QEMU) -nographic -no-reboot $(DIFF_EXIT_DEV)" \
		--timeout $(DIFF_TIMEOUT) --args "ref=qemu $(DIFF_ARGS)"

CHECK_TARGETS += check-diff
CHECK_QEMU_TARGETS += check-diff-qemu
CLEAN_FILES += $(DIFF_OUT)
