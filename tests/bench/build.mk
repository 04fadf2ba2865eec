# tests/bench/build.mk - `make bench`: the benchmark workload as a Multiboot
# guest (built with the build machine's gcc -m32, like the guest tests), as
# a host program (built with $(CC), -m64 on an x86-64 host, run through
# $(TEST_RUNNER)), natively on an x86-64 host also as a 32-bit host program
# (gcc -m32, when it can build one), and the immediately-exiting guest used
# to time start-up; tests/bench/bench.sh runs and times them all, with the
# 32-bit host program as the reference where the host runs 32-bit code
# (scripts/host32.sh). Figures, not a test: not part of `make check`.

BENCH_DIR := tests/bench
BENCH_OUT := $(BUILD)/bench
BENCH_GUEST_CC ?= gcc
BENCH_GUEST_CFLAGS := -m32 -march=i686 -std=gnu11 -ffreestanding -fno-pic -fno-pie \
	-nostdlib -O2 -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fcf-protection=none -mgeneral-regs-only -Wall -Wextra -Werror -I.
BENCH_GUEST_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-T,$(BENCH_DIR)/guest.ld -Wl,--no-warn-rwx-segments
# Backends to time: auto = every backend the binary lists
# (jet86 -accel tcg,backend=help).
BENCH_BACKENDS ?= auto
BENCH_QEMU ?= qemu-system-i386

BENCH_ELF := $(BENCH_OUT)/workload.elf
BENCH_PAGED_ELF := $(BENCH_OUT)/workload-paged.elf
BENCH_EXIT_ELF := $(BENCH_OUT)/exit.elf
BENCH_HOST := $(BENCH_OUT)/workload-host
BENCH_HOST_M64 := $(if $(filter x86_64,$(HOST_ARCH)),-m64)
BENCH_HOST_LABEL := $(notdir $(firstword $(CC))) -O2 $(BENCH_HOST_M64)
# In a cross build the host program is the cross-built one, run by
# $(TEST_RUNNER): no 32-bit build beside it (nor on a host that is not x86).
BENCH_HOST32 := $(if $(TEST_RUNNER),,$(if $(filter x86_64,$(HOST_ARCH)),$(BENCH_OUT)/workload-host32))

$(BENCH_OUT)/guest/%.o: $(BENCH_DIR)/%.c $(BENCH_DIR)/bench.h
	@mkdir -p $(dir $@)
	$(call quiet,CC32,$<)$(BENCH_GUEST_CC) $(BENCH_GUEST_CFLAGS) -c $< -o $@

$(BENCH_OUT)/guest/%.o: $(BENCH_DIR)/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS32,$<)$(BENCH_GUEST_CC) -m32 -c $< -o $@

$(BENCH_ELF): $(BENCH_OUT)/guest/guest_entry.o $(BENCH_OUT)/guest/guest_flat.o \
		$(BENCH_OUT)/guest/guest_glue.o $(BENCH_OUT)/guest/workload.o $(BENCH_DIR)/guest.ld
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) $(BENCH_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

# The same workload at CPL 3 under 32-bit paging (guest_paged.c).
$(BENCH_PAGED_ELF): $(BENCH_OUT)/guest/guest_entry.o $(BENCH_OUT)/guest/guest_paged.o \
		$(BENCH_OUT)/guest/guest_glue.o $(BENCH_OUT)/guest/workload.o $(BENCH_DIR)/guest.ld
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) $(BENCH_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(BENCH_EXIT_ELF): $(BENCH_OUT)/guest/exit_entry.o $(BENCH_DIR)/guest.ld
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) $(BENCH_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(BENCH_HOST): $(BENCH_DIR)/host_main.c $(BENCH_DIR)/workload.c $(BENCH_DIR)/bench.h
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) $(BENCH_HOST_M64) -std=gnu11 -O2 -Wall -Wextra -Werror -I. $(LDFLAGS) -o $@ \
		$(BENCH_DIR)/host_main.c $(BENCH_DIR)/workload.c

# Without a 32-bit C library gcc -m32 cannot link it: then there is no
# such file and bench.sh says so beside the 64-bit one.
$(BENCH_OUT)/workload-host32: $(BENCH_DIR)/host_main.c $(BENCH_DIR)/workload.c $(BENCH_DIR)/bench.h
	@mkdir -p $(dir $@)
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) -m32 -std=gnu11 -O2 -Wall -Wextra -Werror -I. -o $@ \
		$(BENCH_DIR)/host_main.c $(BENCH_DIR)/workload.c || \
		{ rm -f $@; echo "bench: $(BENCH_GUEST_CC) -m32 cannot build the host program"; }

# The same workload as a static i386 Linux program without a C library
# (linux_entry.S + linux_glue.c), for the Linux guest of `make
# bench-linux` and, unchanged, on the host (tests/bench/bench-linux.sh).
BENCH_LINUX_PROG := $(BENCH_OUT)/workload-linux
BENCH_LINUX_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,--build-id=none

$(BENCH_LINUX_PROG): $(BENCH_OUT)/guest/linux_entry.o $(BENCH_OUT)/guest/linux_glue.o \
		$(BENCH_OUT)/guest/workload.o
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) $(BENCH_LINUX_LDFLAGS) -o $@ $(filter %.o,$^)

# `make bench-linux` (also run by `make bench`, after bench-run): the
# Linux boot and the workload inside it (tests/bench/bench-linux.sh).
# The kernel and busybox come from the cache of tests/boot/prepare.sh.
BENCH_LINUX_CACHE ?= $(or $(JET86_GUEST_CACHE),$(or $(BUILD),build)/guests)

.PHONY: bench-linux check-bench-linux
bench-linux: $(BENCH_LINUX_PROG) $(BENCH_HOST) $(JET86)
	$(BENCH_DIR)/bench-linux.sh --jet86 "$(TEST_RUNNER) ./$(JET86)" \
		--backends "$(BENCH_BACKENDS)" --qemu "$(BENCH_QEMU)" \
		--prog $(BENCH_LINUX_PROG) --host "$(TEST_RUNNER) ./$(BENCH_HOST)" \
		--host-label "$(strip $(BENCH_HOST_LABEL))" \
		--cache "$(BENCH_LINUX_CACHE)" --out $(BENCH_OUT)/linux

# Part of make check, no timing: the Linux build of the workload prints
# the host program's lines and checksum (at scale 1), so it does not rot.
check-bench-linux: $(BENCH_LINUX_PROG) $(BENCH_HOST)
	$(BENCH_DIR)/bench-linux.sh --check --prog $(BENCH_LINUX_PROG) \
		--host "$(TEST_RUNNER) ./$(BENCH_HOST)"

CHECK_TARGETS += check-bench-linux

.PHONY: bench-progs bench-run
bench-progs: $(BENCH_ELF) $(BENCH_PAGED_ELF) $(BENCH_EXIT_ELF) $(BENCH_HOST) $(BENCH_HOST32)

# Self-modifying code: randreal-58 (the check-backends case) and seed 1,
# the two largest native/interp ratios of the seeds before the engine's
# interp tier (translator/tb.h; docs/PERFORMANCE.md)
BENCH_SMC_BINS := $(BACKENDS_OUT)/randreal-58.bin $(BACKENDS_OUT)/randreal-1.bin

bench-run: bench-progs $(BENCH_SMC_BINS) $(JET86)
	$(BENCH_DIR)/bench.sh --jet86 "$(TEST_RUNNER) ./$(JET86)" \
		--backends "$(BENCH_BACKENDS)" --qemu "$(BENCH_QEMU)" \
		--host "$(TEST_RUNNER) ./$(BENCH_HOST)" \
		--host-label "$(strip $(BENCH_HOST_LABEL))$(if $(TEST_RUNNER),; run by $(notdir $(firstword $(TEST_RUNNER))))" \
		$(if $(BENCH_HOST32),--host32 ./$(BENCH_HOST32) --host32-label "$(BENCH_GUEST_CC) -O2 -m32") \
		--elf $(BENCH_ELF) --paged-elf $(BENCH_PAGED_ELF) --exit-elf $(BENCH_EXIT_ELF) \
		--smc "$(BENCH_SMC_BINS)"
