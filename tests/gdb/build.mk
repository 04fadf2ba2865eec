# tests/gdb: the gdb stub (-gdb, -s, -S) driven by Debian's gdb, on a
# protected-mode guest program and on a real-mode firmware image; part of
# `make check`.
# (this file is read before tests/guest/build.mk: its paths are spelled out)
GDB_GUEST_OUT := $(or $(BUILD),build)/tests/guest
GDB_ROM := $(or $(BUILD),build)/tests/firmware/hello_rom.rom

.PHONY: check-gdb
check-gdb: $(JET86) $(GDB_GUEST_OUT)/hello.elf $(GDB_ROM)
	tests/gdb/run.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--guest $(GDB_GUEST_OUT) --rom $(GDB_ROM)

CHECK_TARGETS += check-gdb
