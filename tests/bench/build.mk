# tests/bench/build.mk - `make bench`: the benchmark workload as a Multiboot
# guest (built with the build machine's gcc -m32, like the guest tests), as
# a host program (built with $(CC), run through $(TEST_RUNNER)), and the
# immediately-exiting guest used to time start-up; tests/bench/bench.sh
# runs and times them all. Figures, not a test: not part of `make check`.

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
BENCH_EXIT_ELF := $(BENCH_OUT)/exit.elf
BENCH_HOST := $(BENCH_OUT)/workload-host

$(BENCH_OUT)/guest/%.o: $(BENCH_DIR)/%.c $(BENCH_DIR)/bench.h
	@mkdir -p $(dir $@)
	$(call quiet,CC32,$<)$(BENCH_GUEST_CC) $(BENCH_GUEST_CFLAGS) -c $< -o $@

$(BENCH_OUT)/guest/%.o: $(BENCH_DIR)/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS32,$<)$(BENCH_GUEST_CC) -m32 -c $< -o $@

$(BENCH_ELF): $(BENCH_OUT)/guest/guest_entry.o $(BENCH_OUT)/guest/guest_glue.o \
		$(BENCH_OUT)/guest/workload.o $(BENCH_DIR)/guest.ld
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) $(BENCH_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(BENCH_EXIT_ELF): $(BENCH_OUT)/guest/exit_entry.o $(BENCH_DIR)/guest.ld
	$(call quiet,LINK32,$@)$(BENCH_GUEST_CC) $(BENCH_GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(BENCH_HOST): $(BENCH_DIR)/host_main.c $(BENCH_DIR)/workload.c $(BENCH_DIR)/bench.h
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. $(LDFLAGS) -o $@ \
		$(BENCH_DIR)/host_main.c $(BENCH_DIR)/workload.c

.PHONY: bench-progs bench-run
bench-progs: $(BENCH_ELF) $(BENCH_EXIT_ELF) $(BENCH_HOST)

bench-run: bench-progs $(JET86)
	$(BENCH_DIR)/bench.sh --jet86 "$(TEST_RUNNER) ./$(JET86)" \
		--backends "$(BENCH_BACKENDS)" --qemu "$(BENCH_QEMU)" \
		--host "$(TEST_RUNNER) ./$(BENCH_HOST)" \
		--elf $(BENCH_ELF) --exit-elf $(BENCH_EXIT_ELF)
