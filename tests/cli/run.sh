#!/bin/sh
# Bad-input tests of jet86's command line, loader and machine: each case
# runs the emulator and checks its exit status and what it printed.
#   - missing or unreadable kernel, files that are neither Multiboot
#     kernels nor Linux bzImages, truncated or too old bzImages, an initrd
#     that does not fit, a bzImage's entry state (the boot protocol's),
#     bad checksum, wrong ELF class or machine, load address outside RAM,
#     -initrd lists with missing files or empty entries
#   - -chardev, -serial chardev:ID and -device isa-debugcon,chardev=ID:
#     unknown back ends and options, missing or duplicate ids, a chardev
#     used twice, output through a file and stdio chardev
#   - unknown and malformed flags (and -m sizes that overflow): the error
#     names the flag, the usage line follows, exit status 1; -h and the
#     help sub-options exit 0; a -device on ports a built-in device owns
#   - output to a full disk (/dev/full): COM1 and the -d log say so once
#   - guests: no kernel (the ROM says so), HLT woken by the PIT in host
#     time (no -icount), a triple fault with -no-reboot
#     (registers on stderr, non-zero status), random bytes executed as code
#     (the host process never dies of a signal)
# The test kernels are written byte by byte here (a.out-kludge images), so
# nothing but a POSIX shell and awk is needed.
#
# usage: run.sh [--emu CMD] [--timeout SECS]
#   --emu CMD   the emulator command (may start with a runner such as
#               qemu-aarch64-static); default ./jet86
# Prints PASS/FAIL per case, then "cli: N passed, M failed".
set -u
# no window for any run here (the -display default opens one under X)
unset DISPLAY WAYLAND_DISPLAY

emu=./jet86
tmo=10
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

# ---- writing binary files from the shell ----

byte() { printf "\\$(printf '%03o' "$1")"; }
le16() { byte $(($1 & 255)); byte $((($1 >> 8) & 255)); }
le32() { le16 $(($1 & 65535)); le16 $((($1 >> 16) & 65535)); }
zeros() { i=0; while [ "$i" -lt "$1" ]; do byte 0; i=$((i + 1)); done; }

MB_MAGIC=0x1BADB002
# A Multiboot header with the a.out kludge (flag bit 16) at file offset 0:
# the image loads at $1, the entry is $1 + 0x20.
mb_aout_header() {
    flags=0x00010000
    le32 $MB_MAGIC
    le32 $flags
    le32 $(((0 - MB_MAGIC - flags) & 0xFFFFFFFF))
    le32 "$1"              # header_addr
    le32 "$1"              # load_addr
    le32 0                 # load_end_addr: the whole file
    le32 0                 # bss_end_addr: none
    le32 $(($1 + 0x20))    # entry_addr
}

# Deterministic pseudo-random bytes (seed $1, count $2) as raw bytes.
# A minimal bzImage (Documentation/x86/boot.rst): one setup sector after
# the boot sector, the setup header with version $1, loadflags $2, syssize
# $3 paragraphs and initrd_addr_max $4, then the protected-mode code: it
# checks the 32-bit boot protocol's entry state (CS 0x10, DS/ES/SS 0x18,
# ESI = the zero page at 0x10000 with type_of_loader 0xFF and cmd_line_ptr
# 0x11000, the command line starting "jet8", EBX/EDI/EBP 0, IF clear) and
# writes 0x21 to port 0xF4 when all hold, else 1.
BZ_CODE=8cc8663d100075588cd8663d180075508cc0663d180075488cd0663d1800754081fe00000100753880be10020000ff752f81be28020000001001007523813d001001006a657438751785db751385ff750f85ed750b9c58f6c4027504b021e6f4b001e6f4f4
bz_image() {
    head -c 497 /dev/zero
    byte 1                     # setup_sects
    le16 0; le32 "$3"          # root_flags, syssize
    le16 0; le16 0xFFFF; le16 0; le16 0xAA55
    byte 0xEB; byte 0x66       # jump: the header ends at 0x268
    printf HdrS; le16 "$1"; le32 0; le16 0x1000; le16 0
    byte 0; byte "$2"; le16 0  # type_of_loader, loadflags, setup_move_size
    le32 0x100000              # code32_start
    le32 0; le32 0; le32 0; le32 0; le32 0 # ramdisk, kludge, heap, cmdline
    le32 "$4"; le32 0; le32 0  # initrd_addr_max, alignment, relocatable
    le32 255                   # cmdline_size
    head -c 452 /dev/zero      # to the end of the setup sector (0x400)
    h=$BZ_CODE
    while [ -n "$h" ]; do
        byte $((0x$(echo "$h" | cut -c1-2)))
        h=${h#??}
    done
    head -c 11 /dev/zero       # 101 + 11 bytes: 7 paragraphs
}

random_bytes() {
    printf "$(awk -v seed="$1" -v n="$2" 'BEGIN {
        x = seed;
        for (i = 0; i < n; i++) {
            x = (x * 69069 + 1) % 4294967296;
            printf "\\%03o", int(x / 16777216);
        }
    }')"
}

# A kernel that runs pseudo-random code (seed $1, $2 bytes at 0x101000)
# with every exception recovered: all 256 IDT gates lead to handlers that
# skip one byte of the faulting instruction and IRET (dropping the error
# code where the CPU pushes one), so the random code keeps running through
# faults, far jumps, segment and control register loads, until it wedges
# itself, triple-faults or the time is up.
#   0x100020  LIDT [0x100040]; MOV ESP, 0x90000; JMP 0x101000
#   0x100040  IDTR: limit 0x7FF, base 0x100100
#   0x100050  ADD DWORD [ESP], 1; IRET
#   0x100058  ADD ESP, 4; ADD DWORD [ESP], 1; IRET
#   0x100100  the IDT: 32-bit interrupt gates, selector 0x08
fuzz_kernel() {
    mb_aout_header 0x100000
    printf "$(awk -v seed="$1" -v n="$2" '
    function b(v) { printf "\\%03o", v % 256 }
    function l16(v) { b(v % 256); b(int(v / 256) % 256) }
    function l32(v) { l16(v % 65536); l16(int(v / 65536)) }
    function pad(to) { while (pos < to) { b(0); pos++ } }
    BEGIN {
        pos = 32;
        b(15); b(1); b(29); l32(1048640); pos += 7;            # lidt [0x100040]
        b(188); l32(589824); pos += 5;                         # mov esp, 0x90000
        b(233); l32(4096 - 49); pos += 5;                      # jmp 0x101000
        pad(64); l16(2047); l32(1048832); pos += 6;            # IDTR
        pad(80); b(131); b(4); b(36); b(1); b(207); pos += 5;  # handler, no error code
        pad(88); b(131); b(196); b(4); b(131); b(4); b(36); b(1); b(207); pos += 8;
        pad(256);
        for (v = 0; v < 256; v++) {
            h = (v == 8 || (v >= 10 && v <= 14) || v == 17) ? 1048664 : 1048656;
            l16(h % 65536); l16(8); b(0); b(142); l16(int(h / 65536));
            pos += 8;
        }
        pad(4096);
        x = seed;
        for (i = 0; i < n; i++) {
            x = (x * 69069 + 1) % 4294967296;
            b(int(x / 16777216));
        }
    }')"
}

# ---- the test kernels ----

echo "just some text, not a kernel" >"$tmp/text.bin"

# magic, flags 0, wrong checksum
{ le32 $MB_MAGIC; le32 0; le32 0x12345678; zeros 64; } >"$tmp/badsum.bin"

# ELF64 with a valid header (no kludge): the loader wants ELF32
{ printf '\177ELF'; byte 2; byte 1; byte 1; zeros 57
  le32 $MB_MAGIC; le32 0; le32 $(((0 - MB_MAGIC) & 0xFFFFFFFF)); zeros 64; } >"$tmp/elf64.bin"

# ELF32 for ARM (e_machine 40)
{ printf '\177ELF'; byte 1; byte 1; byte 1; zeros 9
  le16 2; le16 40; zeros 32
  le32 $MB_MAGIC; le32 0; le32 $(((0 - MB_MAGIC) & 0xFFFFFFFF)); zeros 64; } >"$tmp/arm.bin"

# loads at 256 MiB: outside RAM with -m 64
{ mb_aout_header 0x10000000; byte 0xF4; zeros 60; } >"$tmp/high.bin"
# loads at 3 GiB, above the most RAM there can be: the loader's error
# shows where RAM ends, i.e. what -m gave
{ mb_aout_header 0xC0000000; byte 0xF4; zeros 60; } >"$tmp/top.bin"

# LIDT with limit 0, then UD2: #UD cannot be delivered (#GP, #DF) -> triple
# fault. At 0x100020: 0F 01 1D disp32 (LIDT [0x100040]); 0F 0B; EB FE.
{ mb_aout_header 0x100000
  byte 0x0F; byte 0x01; byte 0x1D; le32 0x100040
  byte 0x0F; byte 0x0B; byte 0xEB; byte 0xFE
  zeros 21
  le16 0; le32 0; zeros 26; } >"$tmp/triple.bin"

# Like triple.bin, but first writes 'x' to COM1: each boot prints one x.
{ mb_aout_header 0x100000
  for b in 0xBA 0xF8 0x03 0x00 0x00 0xB0 0x78 0xEE 0x0F 0x01 0x1D; do byte $b; done
  le32 0x100040
  byte 0x0F; byte 0x0B
  zeros 19
  le16 0; le32 0; zeros 26; } >"$tmp/reboot.bin"

# Writes 'B' to COM1, then goes back to real mode through a 16-bit code
# segment (its own GDT: 0x08, base 0x100000) and jumps to the reset vector
# F000:FFF0, as Linux's BIOS reboot method does: the ROM, finding its boot
# parameters used, resets the machine (a triple fault).
{ mb_aout_header 0x100000
  h=66baf803b042eeb00aee0f011558001000ea3800000008000f20c024fe0f22c0eaf0ff00f09090900000000000000000ffff0000109b00000f0048001000
  while [ -n "$h" ]; do
      byte $((0x$(echo "$h" | cut -c1-2)))
      h=${h#??}
  done; } >"$tmp/resetvec.bin"

# Echo kernel: copies COM1 input to COM1 output until it reads 'q', then
# writes 5 to port 0xF4 (exit status 11). Polls LSR bit 0 (data ready).
{ mb_aout_header 0x100000
  for b in 0xBA 0xFD 0x03 0x00 0x00 \
           0xEC 0xA8 0x01 0x74 0xFB \
           0xBA 0xF8 0x03 0x00 0x00 0xEC 0x3C 0x71 0x74 0x08 \
           0xEE 0xBA 0xFD 0x03 0x00 0x00 0xEB 0xE9 \
           0xB0 0x05 0xE6 0xF4 0xF4 0xEB 0xFD; do byte $b; done
} >"$tmp/echo.bin"

# Hello kernel: writes "hi" and a newline to COM1, then exits with 11.
{ mb_aout_header 0x100000
  for b in 0xBA 0xF8 0x03 0x00 0x00 0xB0 0x68 0xEE 0xB0 0x69 0xEE 0xB0 0x0A 0xEE \
           0xB0 0x05 0xE6 0xF4 0xF4 0xEB 0xFD; do byte $b; done
} >"$tmp/hi.bin"

# Screen kernel: writes "Hi" in light grey to the VGA text screen
# (MOV dword [0xB8000], 0x07690748), then exits with 11.
{ mb_aout_header 0x100000
  for b in 0xC7 0x05 0x00 0x80 0x0B 0x00 0x48 0x07 0x69 0x07 \
           0xB0 0x05 0xE6 0xF4 0xF4 0xEB 0xFD; do byte $b; done
} >"$tmp/screen.bin"
# POST kernel: writes 42h to port 0x80, then exits with 11.
{ mb_aout_header 0x100000
  for b in 0xB0 0x42 0xE6 0x80 0xB0 0x05 0xE6 0xF4 0xF4 0xEB 0xFD; do byte $b; done
} >"$tmp/post.bin"
# Fast-reset kernels: write 'x' to COM1, then reset through port 0x92
# (bit 0 from 0 to 1) or the PIIX3's 0xCF9 (RCPU), then loop.
{ mb_aout_header 0x100000
  for b in 0xBA 0xF8 0x03 0x00 0x00 0xB0 0x78 0xEE \
           0xB0 0x03 0xE6 0x92 0xEB 0xFE; do byte $b; done
} >"$tmp/reset92.bin"
{ mb_aout_header 0x100000
  for b in 0xBA 0xF8 0x03 0x00 0x00 0xB0 0x78 0xEE \
           0xBA 0xF9 0x0C 0x00 0x00 0xB0 0x06 0xEE 0xEB 0xFE; do byte $b; done
} >"$tmp/resetcf9.bin"

# HLT kernel: programs the PIC (IRQ0 only, vectors 0x20-) and the PIT
# (100 Hz), and halts until 20 timer interrupts came (IRQ0 handler: INC ECX,
# EOI, IRET through a gate at 0x100070 + 0x20 * 8), then prints "h" and
# exits with 11. Without -icount it takes 0.2 s of host time, spent asleep.
#   0x100020  LIDT; PIC ICW1-4, mask; PIT mode 2, count 11932; STI
#   idle:     HLT; CMP ECX, 20; JB idle; "h\n" to COM1; OUT 0xF4, 5
#   0x100068  IDTR: limit 0x107, base 0x100070; 0x100070 the IDT
{ mb_aout_header 0x100000
  for b in 0x0F 0x01 0x1D 0x68 0x00 0x10 0x00 0xB0 0x11 0xE6 0x20 0xB0 0x20 \
           0xE6 0x21 0xB0 0x04 0xE6 0x21 0xB0 0x01 0xE6 0x21 0xB0 0xFE 0xE6 \
           0x21 0xB0 0x34 0xE6 0x43 0xB0 0x9C 0xE6 0x40 0xB0 0x2E 0xE6 0x40 \
           0x31 0xC9 0xFB 0xF4 0x83 0xF9 0x14 0x72 0xFA 0x66 0xBA 0xF8 0x03 \
           0xB0 0x68 0xEE 0xB0 0x0A 0xEE 0xB0 0x05 0xE6 0xF4 0xF4 0x41 0xB0 \
           0x20 0xE6 0x20 0xCF 0x90 0x90 0x90 0x07 0x01 0x70 0x00 0x10 0x00 \
           0x90 0x90; do byte $b; done
  zeros 256
  for b in 0x5F 0x00 0x08 0x00 0x00 0x8E 0x10 0x00; do byte $b; done
} >"$tmp/hlt.bin"

# Loop kernel: LOOP to itself 1000 times (one block, chained to itself),
# then exits with 11.
{ mb_aout_header 0x100000
  for b in 0xB9 0xE8 0x03 0x00 0x00 0xE2 0xFE \
           0xB0 0x05 0xE6 0xF4 0xF4 0xEB 0xFD; do byte $b; done
} >"$tmp/loop.bin"

# A minimal ELF32 Multiboot kernel: one PT_LOAD at 1 MiB (with 256 bytes
# of bss), the Multiboot header at offset 84, code at 0x100060 that writes
# 0x21 to port 0xF4 (isa-debug-exit: status 0x43 = 67), then HLT.
elf_kernel() {
    printf '\177ELF'; byte 1; byte 1; byte 1; zeros 9
    le16 2; le16 3; le32 1              # ET_EXEC, EM_386, EV_CURRENT
    le32 0x100060; le32 52; le32 0      # e_entry, e_phoff, e_shoff
    le32 0; le16 52; le16 32; le16 1    # e_flags, e_ehsize, e_phentsize, e_phnum
    le16 40; le16 0; le16 0             # e_shentsize, e_shnum, e_shstrndx
    le32 1; le32 0; le32 0x100000; le32 0x100000   # PT_LOAD, offset, vaddr, paddr
    le32 104; le32 360; le32 7; le32 0x1000         # filesz, memsz, flags, align
    le32 $MB_MAGIC; le32 0; le32 $(((0 - MB_MAGIC) & 0xFFFFFFFF))
    byte 0xB0; byte 0x21; byte 0xE6; byte 0xF4      # mov al, 0x21; out 0xf4, al
    byte 0xF4; byte 0xEB; byte 0xFD; byte 0x90      # hlt; jmp $-1
}
elf_kernel >"$tmp/elf.bin"

# Overwrite n bytes among the first 96 (the ELF, program and Multiboot
# headers) of file $1 with pseudo-random values (seed $2).
mutate() {
    awk -v seed="$2" 'BEGIN {
        x = seed;
        for (i = 0; i < 3; i++) {
            x = (x * 69069 + 1) % 4294967296; off = int(x / 16777216) % 96;
            x = (x * 69069 + 1) % 4294967296; val = int(x / 16777216);
            print off, val;
        }
    }' | while read -r off val; do
        byte "$val" | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
    done
}

# ---- the checks ----

# expect NAME STATUS STDERR_REGEX [usage] -- ARGS...
# The emulator's stderr must match the extended regex (and the usage line
# when "usage" is given); its exit status must be STATUS.
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    need_usage=0
    if [ "$1" = usage ]; then need_usage=1; shift; fi
    [ "$1" = -- ] && shift
    # shellcheck disable=SC2086
    timeout "$tmo" $emu "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    why=
    [ "$st" = "$want" ] || why="exit status $st, expected $want"
    if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$tmp/err"; then
        why="${why:+$why; }stderr lacks /$pat/"
    fi
    if [ "$need_usage" = 1 ] && ! grep -q '^usage: jet86' "$tmp/err"; then
        why="${why:+$why; }no usage line"
    fi
    report "$name" "$why"
}

# expect_once NAME STATUS STDERR_REGEX -- ARGS...: like expect, for output
# to /dev/full: the failure is said exactly once (not once per byte or
# log line) and stderr matches the regex.
expect_once() {
    name=$1 want=$2 pat=$3
    shift 3
    [ "$1" = -- ] && shift
    # shellcheck disable=SC2086
    timeout "$tmo" $emu "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    why=
    [ "$st" = "$want" ] || why="exit status $st, expected $want"
    grep -Eq -- "$pat" "$tmp/err" || why="${why:+$why; }stderr lacks /$pat/"
    n=$(grep -o 'No space left on device' "$tmp/err" | wc -l)
    [ "$n" -eq 1 ] || why="${why:+$why; }'No space left on device' $n times, expected once"
    report "$name" "$why"
}

# expect_out NAME STATUS STDOUT_REGEX -- ARGS...: same, on stdout.
expect_out() {
    name=$1 want=$2 pat=$3
    shift 3
    [ "$1" = -- ] && shift
    # shellcheck disable=SC2086
    timeout "$tmo" $emu "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    why=
    [ "$st" = "$want" ] || why="exit status $st, expected $want"
    if ! tr -d '\r' <"$tmp/out" | grep -Eq -- "$pat"; then
        why="${why:+$why; }stdout lacks /$pat/"
    fi
    report "$name" "$why"
}

report() {
    if [ -z "$2" ]; then
        echo "PASS $1"
        pass=$((pass + 1))
    else
        echo "FAIL $1: $2"
        sed -n '1,8s/^/    stderr: /p' "$tmp/err"
        fail=$((fail + 1))
    fi
}

K="$tmp/triple.bin"

# -d screen: the VGA's text screen at exit, 25 lines of which the first
# is what the guest wrote
expect "-d screen" 11 "^Hi\$" -- -d screen -device isa-debug-exit,iobase=0xf4 \
    -kernel "$tmp/screen.bin" -nographic -no-reboot

# -net none / -nic none: accepted (no network card); anything else refused
expect "-net none -nic none" 11 "^Hi\$" -- -net none -nic none -d screen \
    -device isa-debug-exit,iobase=0xf4 -kernel "$tmp/screen.bin" -nographic -no-reboot
expect "-net user" 1 "^jet86: -net user: only 'none' is supported" usage -- -net user
expect "-nic tap" 1 "^jet86: -nic tap: only 'none' is supported" usage -- -nic tap

# loader errors: the file and the reason, status 1
expect "missing kernel" 1 "^jet86: -kernel $tmp/nosuch\\.elf: No such file or directory\$" \
    -- -kernel "$tmp/nosuch.elf"
expect "kernel is a directory" 1 "^jet86: -kernel $tmp: is a directory\$" -- -kernel "$tmp"
expect "not Multiboot" 1 "^jet86: -kernel $tmp/text\\.bin: not a Multiboot kernel" \
    -- -kernel "$tmp/text.bin"
: >"$tmp/empty.bin"
expect "empty file" 1 "not a Multiboot kernel" -- -kernel "$tmp/empty.bin"
expect "device file" 1 "^jet86: -kernel /dev/null: not a regular file" -- -kernel /dev/null
expect "bad checksum" 1 "^jet86: -kernel $tmp/badsum\\.bin: bad Multiboot header checksum" \
    -- -kernel "$tmp/badsum.bin"
expect "ELF64 kernel" 1 "64-bit ELF, need ELF32" -- -kernel "$tmp/elf64.bin"
expect "ARM ELF kernel" 1 "ELF machine 40 is not i386" -- -kernel "$tmp/arm.bin"
# Linux bzImages (bios/linux.c)
bz_image 0x020f 1 7 0x1fffff >"$tmp/bz.bin"
bz_image 0x020f 1 8 0x1fffff >"$tmp/bzshort.bin"
bz_image 0x0201 1 7 0x1fffff >"$tmp/bzold.bin"
bz_image 0x020f 0 7 0x1fffff >"$tmp/zimage.bin"
expect "bzImage: boot protocol entry state" 67 "" \
    -- -kernel "$tmp/bz.bin" -append "jet86 test" -nographic \
    -device isa-debug-exit,iobase=0xf4,iosize=4
# syssize counts paragraphs: a last one cut short (memtest86+) still loads
head -c $(($(wc -c <"$tmp/bz.bin") - 8)) "$tmp/bz.bin" >"$tmp/bzpartial.bin"
expect "bzImage: partial last paragraph" 67 "" \
    -- -kernel "$tmp/bzpartial.bin" -append "jet86 test" -nographic \
    -device isa-debug-exit,iobase=0xf4,iosize=4
expect "bzImage: truncated" 1 "^jet86: -kernel $tmp/bzshort\\.bin: truncated bzImage: 1136 bytes, the setup header says 1152\$" \
    -- -kernel "$tmp/bzshort.bin"
expect "bzImage: protocol 2.01" 1 "^jet86: -kernel $tmp/bzold\\.bin: Linux boot protocol 2\\.01 is older than 2\\.02" \
    -- -kernel "$tmp/bzold.bin"
expect "bzImage: zImage" 1 "^jet86: -kernel $tmp/zimage\\.bin: a zImage .* is not supported, need a bzImage\$" \
    -- -kernel "$tmp/zimage.bin"
expect "bzImage: missing initrd" 1 "^jet86: -initrd $tmp/noinitrd: No such file or directory\$" \
    -- -kernel "$tmp/bz.bin" -initrd "$tmp/noinitrd"
head -c 1200000 /dev/zero >"$tmp/big.initrd"
expect "bzImage: initrd above initrd_addr_max" 1 "^jet86: -initrd $tmp/big\\.initrd: initrd of 1200000 bytes does not fit in RAM between the kernel \\(end 0x100070\\) and 0x200000\$" \
    -- -kernel "$tmp/bz.bin" -initrd "$tmp/big.initrd"
expect "load address outside RAM" 1 "load address 0x10000000-.* is outside RAM" \
    -- -m 64 -kernel "$tmp/high.bin"
expect "missing module" 1 "^jet86: -initrd $tmp/nomod: No such file or directory\$" \
    -- -kernel "$K" -initrd "$tmp/nomod"
# a list or a name with spaces: the entry is numbered and names are quoted
expect "missing second module" 1 "^jet86: -initrd $tmp/text\\.bin,$tmp/nomod: module 2 '$tmp/nomod': No such file or directory\$" \
    -- -kernel "$K" -initrd "$tmp/text.bin,$tmp/nomod"
expect "-initrd ' X'" 1 "^jet86: -initrd \" X\": module 1 ' X': No such file or directory\$" \
    -- -kernel "$K" -initrd " X"
expect "-initrd a,,b is the file a,b" 1 "^jet86: -initrd $tmp/a,,b: module 1 '$tmp/a,b': No such file or directory\$" \
    -- -kernel "$K" -initrd "$tmp/a,,b"
expect "-initrd ''" 1 "^jet86: -initrd \"\": module 1 has an empty file name\$" \
    -- -kernel "$K" -initrd ""
expect "-initrd ,x" 1 "^jet86: -initrd ,x: module 1 has an empty file name\$" \
    -- -kernel "$K" -initrd ",x"
expect "-initrd x," 1 "^jet86: -initrd $tmp/text\\.bin,: module 2 has an empty file name\$" \
    -- -kernel "$K" -initrd "$tmp/text.bin,"
expect "-initrd 'x, '" 1 "^jet86: -initrd \"$tmp/text\\.bin, \": module 2 has an empty file name\$" \
    -- -kernel "$K" -initrd "$tmp/text.bin, "

# a well-formed minimal ELF kernel boots and exits through debug-exit
expect "minimal ELF kernel boots" 67 "" \
    -- -kernel "$tmp/elf.bin" -nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4

# corrupted headers: a clear loader error (1) or whatever the guest does
# (67 debug-exit, 1 triple fault, 0 reset, 124 still running); never a
# signal or an internal error
for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    cp "$tmp/elf.bin" "$tmp/mut.bin"
    mutate "$tmp/mut.bin" "$seed"
    timeout 3 $emu -kernel "$tmp/mut.bin" -nographic -no-reboot -icount shift=0 \
        -device isa-debug-exit,iobase=0xf4,iosize=4 </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    case "$st" in
    0|1|67|124) why= ;;
    *) why="exit status $st (host crash or internal error)" ;;
    esac
    grep -Eq 'internal error|Sanitizer|runtime error' "$tmp/err" && why="${why:+$why; }internal error"
    report "corrupted ELF headers, seed $seed" "$why"
done

# flags: unknown or malformed -> error naming the flag, usage, status 1
expect "unknown flag" 1 "^jet86: -bogus: unknown option" usage -- -bogus
# a bare argument is a disk image, as in QEMU (-hda)
expect "stray argument: an image" 1 "^jet86: -hda: disk\\.img: No such file or directory" -- disk.img
expect "missing value" 1 "^jet86: -kernel: missing argument" usage -- -kernel
expect "-m abc" 1 "^jet86: -m abc: invalid size" usage -- -m abc -kernel "$K"
expect "-m 12Q" 1 "^jet86: -m 12Q: invalid size" usage -- -m 12Q -kernel "$K"
expect "-m 1.G" 1 "^jet86: -m 1\\.G: invalid size" usage -- -m 1.G -kernel "$K"
expect "-m 3.5G" 1 "^jet86: -m 3\\.5G: too large" usage -- -m 3.5G -kernel "$K"
expect "-m 1" 1 "^jet86: -m 1: too small" usage -- -m 1 -kernel "$K"
expect "-m 64G" 1 "^jet86: -m 64G: too large" usage -- -m 64G -kernel "$K"
# sizes that overflow 64 bits must not wrap around to a small one
expect "-m 99999999999999T" 1 "^jet86: -m 99999999999999T: too large \\(at most 3072 MiB\\)\$" usage \
    -- -m 99999999999999T -kernel "$K"
expect "-m 0.016877216T (17 GiB)" 1 "^jet86: -m 0\\.016877216T: too large" usage \
    -- -m 0.016877216T -kernel "$K"
expect "-m 99999999999999999999999" 1 "^jet86: -m 99999999999999999999999: too large" usage \
    -- -m 99999999999999999999999 -kernel "$K"
expect "-m 3072.0001M" 1 "^jet86: -m 3072\\.0001M: too large" usage -- -m 3072.0001M -kernel "$K"
# what a valid size gives: the end of RAM, in the loader's error (whose
# last 64 KiB hold the BIOS's tables)
for m in 128:0x8000000 0.5G:0x20000000 1.5G:0x60000000 0.1G:0x6667000 3G:0xc0000000; do
    expect "-m ${m%%:*} gives RAM up to ${m#*:}" 1 "the BIOS's tables take 0x[0-9a-f]*-${m#*:}\\)\$" \
        -- -m "${m%%:*}" -kernel "$tmp/top.bin"
done
expect "-serial bogus" 1 "^jet86: -serial bogus: unknown back end" usage -- -serial bogus -kernel "$K"
expect "-serial file:" 1 "^jet86: -serial file:: missing file name" usage -- -serial file: -kernel "$K"
expect "-icount x" 1 "^jet86: -icount x: shift must be a number" usage -- -icount x -kernel "$K"
expect "-icount shift=99" 1 "^jet86: -icount shift=99: shift must be a number from 0 to 10" usage \
    -- -icount shift=99 -kernel "$K"
expect "-icount shift=auto" 1 "^jet86: -icount shift=auto: shift=auto is not supported" usage \
    -- -icount shift=auto -kernel "$K"
expect "-rtc base=bogus" 1 "^jet86: -rtc base=bogus: base must be utc, localtime or YYYY-MM-DDTHH:MM:SS" \
    usage -- -rtc base=bogus -kernel "$K"
expect "-rtc bad date" 1 "^jet86: -rtc base=2026-13-01: base must be" usage \
    -- -rtc base=2026-13-01 -kernel "$K"
expect "-rtc unknown option" 1 "^jet86: -rtc clock=vm,foo=1: unknown option 'foo=1'" usage \
    -- -rtc clock=vm,foo=1 -kernel "$K"
expect "-device nosuch" 1 "^jet86: -device nosuch: unknown device 'nosuch'" usage -- -device nosuch
expect "-device bad iobase" 1 "^jet86: -device isa-debug-exit,iobase=zz: iobase must be" usage \
    -- -device isa-debug-exit,iobase=zz
expect "-device bad property" 1 "unknown property 'colour' of isa-debug-exit" usage \
    -- -device isa-debug-exit,colour=red
# ports already taken by a built-in device: an error naming both (before
# the check, COM1's or the PIC's ports silently went to the new device)
expect "-device over COM1" 1 \
    "^jet86: -device isa-debug-exit,iobase=0x3f8,iosize=8: I/O ports 0x3f8-0x3ff overlap ports 0x3f8-0x3ff of isa-serial\$" \
    -- -device isa-debug-exit,iobase=0x3f8,iosize=8 -kernel "$tmp/hi.bin" -nographic -no-reboot
expect "-device over the PIC" 1 \
    "^jet86: -device isa-debug-exit,iobase=0x20: I/O ports 0x20-0x21 overlap ports 0x20-0x21 of isa-pic\$" \
    -- -device isa-debug-exit,iobase=0x20 -kernel "$tmp/hi.bin" -nographic -no-reboot
expect "-device over part of the PIT" 1 \
    "^jet86: -device isa-debug-exit,iobase=0x3e,iosize=4: I/O ports 0x3e-0x41 overlap ports 0x40-0x43 of isa-pit\$" \
    -- -device isa-debug-exit,iobase=0x3e,iosize=4 -kernel "$tmp/hi.bin" -nographic -no-reboot
expect "-accel kvm" 1 "^jet86: -accel kvm: unknown accelerator 'kvm'" usage -- -accel kvm
expect "-accel unknown backend" 1 "^jet86: -accel tcg,backend=bogus: unknown backend 'bogus' \\(available: .*interp" usage \
    -- -accel tcg,backend=bogus
expect "-d bogus" 1 "^jet86: -d bogus: unknown log item" usage -- -d bogus
# no display here ($DISPLAY unset above): -display sdl says so, or says
# this jet86 has no SDL
expect "-display sdl without a display" 1 \
    "^jet86: -display sdl: (no usable display|this jet86 was built without SDL)" \
    -- -display sdl -kernel "$tmp/hi.bin" -no-reboot
# an X display that is not there: -display sdl fails (status 1), the
# default runs the guest headless and says so (a build without SDL has
# no window to miss)
nodpy=97
while [ -e "/tmp/.X11-unix/X$nodpy" ]; do nodpy=$((nodpy + 1)); done
saved_emu=$emu
emu="env DISPLAY=:$nodpy WAYLAND_DISPLAY= $emu"
if grep -q 'built without SDL' "$tmp/err" 2>/dev/null; then
    echo "SKIP display :$nodpy cases: this jet86 was built without SDL"
else
    expect "-display sdl, DISPLAY=:$nodpy not there" 1 \
        "^jet86: -display sdl: no usable display \\(SDL: " \
        -- -display sdl -kernel "$tmp/hi.bin" -no-reboot
    expect "default display, DISPLAY=:$nodpy not there: headless with a warning" 11 \
        "^jet86: warning: no window \\(no usable display \\(SDL: .*\\)\\): running with -display none\$" \
        -- -kernel "$tmp/hi.bin" -no-reboot -serial none -device isa-debug-exit,iobase=0xf4,iosize=4
fi
emu=$saved_emu
expect "-vga bogus" 1 "^jet86: -vga bogus: unknown VGA \\(std, none\\)" usage -- -vga bogus
expect "-k de" 1 "^jet86: -k de: unknown keyboard layout" usage -- -k de
expect "-display sdl -vga none" 1 "^jet86: -display sdl(: this jet86 was built without SDL| with -vga none)" usage -- -display sdl -vga none
expect "-display gtk" 1 "^jet86: -display gtk: unknown display" usage -- -display gtk
expect "-append without -kernel" 1 "^jet86: -append needs -kernel" usage -- -append foo
# -bios: a 64 KiB image whose reset vector prints x on the debug console
# and exits through isa-debug-exit (status 1)
{ head -c 65520 /dev/zero | tr '\0' '\377'
  for b in 0xb0 0x78 0xe6 0xe9 0xb0 0x00 0xe6 0xf4 0xf4; do byte $b; done
  head -c 7 /dev/zero | tr '\0' '\377'; } > "$tmp/fw64k.rom"
head -c 1000 /dev/zero > "$tmp/fw1000.rom"
head -c 4194304 /dev/zero > "$tmp/fw4m.rom"
expect "-bios missing file" 1 "^jet86: -bios $tmp/nofile.rom: No such file or directory" \
    -- -bios "$tmp/nofile.rom"
expect "-bios directory" 1 "^jet86: -bios $tmp: not a regular file" -- -bios "$tmp"
expect "-bios 1000 bytes" 1 \
    "^jet86: -bios $tmp/fw1000.rom: 1000 bytes; a firmware image is a whole number of 64 KiB blocks, 64 KiB to 2 MiB" \
    -- -bios "$tmp/fw1000.rom"
expect "-bios 4 MiB" 1 "^jet86: -bios $tmp/fw4m.rom: 4194304 bytes; a firmware image" \
    -- -bios "$tmp/fw4m.rom"
expect "-bios with a Multiboot -kernel" 1 "^jet86: -kernel $K: not a bzImage .*with -bios only Linux bzImages" \
    -- -bios "$tmp/fw64k.rom" -kernel "$K"
expect "-bios with -kernel, missing -initrd" 1 "^jet86: -initrd $tmp/nofile: No such file or directory" \
    -- -bios "$tmp/fw64k.rom" -kernel "$tmp/bz.bin" -initrd "$tmp/nofile"
head -c 3000000 /dev/zero >"$tmp/big.rd"
expect "-bios with -kernel, initrd too large" 1 "^jet86: -initrd $tmp/big.rd: 3000000 bytes do not fit below 0x1dffff" \
    -- -bios "$tmp/fw64k.rom" -kernel "$tmp/bz.bin" -initrd "$tmp/big.rd" -m 2
expect "-bios with a zImage -kernel" 1 "^jet86: -kernel $tmp/zimage.bin: not a bzImage" \
    -- -bios "$tmp/fw64k.rom" -kernel "$tmp/zimage.bin"
expect "-debugcon bogus" 1 "^jet86: -debugcon bogus: unknown back end" usage -- -debugcon bogus
expect "-debugcon stdio beside COM1" 1 "^jet86: -debugcon stdio: stdio is COM1's already" usage \
    -- -debugcon stdio -bios "$tmp/fw64k.rom"
expect "-debugcon unwritable file" 1 "^jet86: -debugcon file:$tmp/no/dir/dc: No such file or directory" \
    -- -debugcon "file:$tmp/no/dir/dc" -bios "$tmp/fw64k.rom"
expect "-S without -gdb" 1 "^jet86: -S: waits for gdb, so it needs -gdb" usage -- -S -kernel "$K"
expect "-gdb bogus" 1 "^jet86: -gdb bogus: expected tcp::PORT or tcp:HOST:PORT" usage \
    -- -gdb bogus -kernel "$K"
expect "-gdb bad port" 1 "^jet86: -gdb tcp::99999: bad port number '99999' \\(1-65535\\)" -- -gdb tcp::99999 -kernel "$K"
expect "-gdb port 0" 1 "^jet86: -gdb tcp::0: bad port number '0' \\(1-65535\\)" -- -gdb tcp::0 -kernel "$K"
expect "-gdb port not a number" 1 "^jet86: -gdb tcp:localhost:12ab: bad port number '12ab'" \
    -- -gdb tcp:localhost:12ab -kernel "$K"
expect "-gdb no port" 1 "^jet86: -gdb tcp::: bad port number ''" -- -gdb tcp:: -kernel "$K"
expect "-monitor telnet bad port" 1 \
    "^jet86: -monitor telnet::65536,server,nowait: bad port number '65536' \\(1-65535\\)" usage \
    -- -monitor telnet::65536,server,nowait -kernel "$K"
expect "-monitor telnet port 0" 1 "^jet86: -monitor telnet::0,server,nowait: bad port number '0'" usage \
    -- -monitor telnet::0,server,nowait -kernel "$K"
expect "-monitor telnet port not a number" 1 \
    "^jet86: -monitor telnet:localhost:-1,server,nowait: bad port number '-1'" usage \
    -- -monitor telnet:localhost:-1,server,nowait -kernel "$K"
expect "-gdb unknown host" 1 "^jet86: -gdb tcp:host.invalid:1234: " \
    -- -gdb tcp:host.invalid:1234 -kernel "$K"
expect "-bios 64 KiB image, -debugcon file" 1 "" \
    -- -bios "$tmp/fw64k.rom" -serial none -debugcon "file:$tmp/dc.out" \
    -device isa-debug-exit,iobase=0xf4,iosize=4
[ "$(cat "$tmp/dc.out" 2>/dev/null)" = x ] && report "-debugcon file content" "" ||
    report "-debugcon file content" "$tmp/dc.out holds '$(cat "$tmp/dc.out" 2>/dev/null)', expected x"
expect_out "-debugcon stdio" 1 "^x\$" \
    -- -bios "$tmp/fw64k.rom" -serial none -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4
# -chardev, -serial chardev:ID, -device isa-debugcon,chardev=ID
DX="-device isa-debug-exit,iobase=0xf4,iosize=4"
expect "-chardev unknown back end" 1 "^jet86: -chardev socket,id=a: unknown back end 'socket'" usage \
    -- -chardev socket,id=a -bios "$tmp/fw64k.rom"
expect "-chardev without id" 1 "^jet86: -chardev stdio: missing id=" usage \
    -- -chardev stdio -bios "$tmp/fw64k.rom"
expect "-chardev file without path" 1 "^jet86: -chardev file,id=a: the file back end needs path=" usage \
    -- -chardev file,id=a -bios "$tmp/fw64k.rom"
expect "-chardev unknown option" 1 "^jet86: -chardev null,id=a,mux=on: unknown option mux" usage \
    -- -chardev null,id=a,mux=on -bios "$tmp/fw64k.rom"
expect "-chardev duplicate id" 1 "^jet86: -chardev: duplicate id 'a'" usage \
    -- -chardev null,id=a -chardev "file,id=a,path=$tmp/x" -bios "$tmp/fw64k.rom"
expect "-serial chardev: unknown id" 1 "^jet86: -serial chardev: no chardev with id 'nope'" usage \
    -- -serial chardev:nope -bios "$tmp/fw64k.rom"
expect "isa-debugcon without chardev" 1 "^jet86: -device isa-debugcon,iobase=0x402: isa-debugcon needs chardev=" usage \
    -- -device isa-debugcon,iobase=0x402 -bios "$tmp/fw64k.rom"
expect "isa-debugcon bad iobase" 1 "^jet86: -device isa-debugcon,iobase=0x10000,chardev=a: iobase=0x10000: expected a port number" usage \
    -- -chardev null,id=a -device isa-debugcon,iobase=0x10000,chardev=a -bios "$tmp/fw64k.rom"
expect "isa-debugcon unknown property" 1 "^jet86: -device isa-debugcon,chardev=a,irq=3: isa-debugcon has no property 'irq'" usage \
    -- -chardev null,id=a -device isa-debugcon,chardev=a,irq=3 -bios "$tmp/fw64k.rom"
expect "chardev used twice" 1 "^jet86: -device isa-debugcon: chardev 'a' is already used by -serial chardev" usage \
    -- -chardev "file,id=a,path=$tmp/x" -serial chardev:a -device isa-debugcon,chardev=a -bios "$tmp/fw64k.rom"
expect "isa-debugcon stdio beside COM1" 1 "^jet86: -device isa-debugcon: chardev 'a' is stdio, which is COM1's already" usage \
    -- -chardev stdio,id=a -device isa-debugcon,chardev=a -bios "$tmp/fw64k.rom"
expect "isa-debugcon on a taken port" 1 "^jet86: .*-device isa-debugcon.*0x3f8" \
    -- -chardev null,id=a -device isa-debugcon,iobase=0x3f8,chardev=a -bios "$tmp/fw64k.rom"
expect "isa-debugcon unwritable file" 1 "^jet86: -chardev file:$tmp/no/dir/dc: No such file or directory" \
    -- -chardev "file,id=a,path=$tmp/no/dir/dc" -device isa-debugcon,chardev=a -bios "$tmp/fw64k.rom"
rm -f "$tmp/dc2.out"
expect "isa-debugcon chardev file" 1 "" \
    -- -device isa-debugcon,iobase=0xe9,chardev=log -chardev "file,id=log,path=$tmp/dc2.out" \
    -serial none $DX -bios "$tmp/fw64k.rom"
[ "$(cat "$tmp/dc2.out" 2>/dev/null)" = x ] && report "isa-debugcon chardev file content" "" ||
    report "isa-debugcon chardev file content" "$tmp/dc2.out holds '$(cat "$tmp/dc2.out" 2>/dev/null)', expected x"
expect_out "isa-debugcon chardev stdio" 1 "^x\$" \
    -- -chardev stdio,id=s -device isa-debugcon,chardev=s -serial none $DX -bios "$tmp/fw64k.rom"
expect_out "-serial chardev:ID, debugcon on stdio" 1 "^x\$" \
    -- -chardev "file,id=c,path=$tmp/com1.out" -serial chardev:c -chardev stdio,id=s \
    -device isa-debugcon,chardev=s $DX -bios "$tmp/fw64k.rom"
expect "-D unwritable" 1 "^jet86: -D $tmp/no/dir/log: No such file or directory" \
    -- -D "$tmp/no/dir/log" -kernel "$K"
expect "-serial unwritable file" 1 "^jet86: -serial file:$tmp/no/dir/out: No such file or directory" \
    -- -serial "file:$tmp/no/dir/out" -kernel "$K"

# disks: errors name the flag and the file
head -c 1474560 /dev/zero > "$tmp/fd.img"
head -c 1000 /dev/zero > "$tmp/odd.img"
expect "-hda missing file" 1 "^jet86: -hda: $tmp/none\\.img: No such file or directory" -- -hda "$tmp/none.img"
expect "-cdrom missing file" 1 "^jet86: -cdrom: $tmp/none\\.iso: No such file or directory" -- -cdrom "$tmp/none.iso"
expect "-hda a directory" 1 "^jet86: -hda: $tmp: (Is a directory|not a regular file)" -- -hda "$tmp"
expect "-fda odd size" 1 "^jet86: -fda $tmp/odd\\.img: not a floppy image size" -- -fda "$tmp/odd.img"
# CD images: empty, or shorter than the volume their ISO 9660 primary
# descriptor (block 16) names: refused, naming the flag and the file
: >"$tmp/empty.iso"
expect "-cdrom empty file" 1 "^jet86: -cdrom $tmp/empty\\.iso: empty: a CD image holds at least one 2048-byte block\$" -- -cdrom "$tmp/empty.iso"
{ head -c 32768 /dev/zero; printf '\001CD001'; head -c 74 /dev/zero
  printf '\144\000\000\000\000\000\000\144'; head -c 1960 /dev/zero; } >"$tmp/cut.iso"
expect "-cdrom truncated ISO" 1 "^jet86: -cdrom $tmp/cut\\.iso: truncated ISO 9660 image: its volume has 100 blocks of 2048 bytes, the file holds 17\$" -- -cdrom "$tmp/cut.iso"
# a disk image the user may not write: refused unless read-only or
# -snapshot (as root, run as nobody so that the mode bits count)
cp "$tmp/fd.img" "$tmp/ro.img"
chmod 444 "$tmp/ro.img"
asuser=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    chmod 755 "$tmp"
    asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
roemu=$emu
if [ -n "$asuser" ] && ! $asuser $roemu -version >/dev/null 2>&1; then
    # the build tree is not open to nobody (a clone under /root): a copy
    # of the binary in $tmp, beside the image
    set -- $emu
    bin=$1
    shift
    cp "$bin" "$tmp/jet86-copy" && chmod 755 "$tmp/jet86-copy"
    roemu="$tmp/jet86-copy $*"
fi
if [ "$(id -u)" != 0 ] || [ -n "$asuser" ]; then
    $asuser $roemu -nographic -hda "$tmp/ro.img" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    why=
    [ "$st" = 1 ] || why="exit status $st"
    grep -q "^jet86: -hda: $tmp/ro\\.img: not writable (Permission denied; add readonly=on or use -snapshot)\$" "$tmp/err" ||
        why="${why:+$why; }stderr: $(tr '\n' '|' <"$tmp/err")"
    report "-hda without write permission" "$why"
fi
expect "-drive bad key" 1 "^jet86: -drive file=$tmp/fd\\.img,bogus=1: unknown key 'bogus'" usage -- -drive "file=$tmp/fd.img,bogus=1"
expect "-drive no file" 1 "^jet86: -drive if=ide: missing file=PATH" usage -- -drive if=ide
expect "-drive format=qcow2" 1 "^jet86: -drive file=x,format=qcow2: format=qcow2: only raw" usage -- -drive file=x,format=qcow2
expect "-drive if=scsi" 1 "if=scsi: expected ide or floppy" usage -- -drive file=x,if=scsi
expect "-drive readonly=maybe" 1 "readonly=maybe: expected on or off" usage -- -drive file=x,readonly=maybe
expect "-drive index taken" 1 "^jet86: -drive $tmp/odd\\.img: index 0 of if=ide is taken" -- -hda "$tmp/odd.img" -drive "file=$tmp/odd.img,index=0"
expect "-boot x" 1 "^jet86: -boot x: boot device 'x'" usage -- -boot x
expect "-boot order=" 1 "^jet86: -boot order=: expected 1 to 8" usage -- -boot order=

# help and listings: status 0
expect_out "-h" 0 "-icount N" -- -h
expect_out "--help" 0 "-device isa-debug-exit" -- --help
expect_out "-version" 0 "^jet86 version " -- -version
expect_out "-d help" 0 "^in_asm" -- -d help
expect_out "-accel backend=help" 0 "^interp\$" -- -accel tcg,backend=help
expect_out "-device help" 0 "^isa-debug-exit" -- -device help

# guests
# no kernel and no disk: INT 19h finds nothing, INT 18h's message on COM1,
# then the halt loop (the run ends by timeout)
timeout 3 $emu -nographic -no-reboot </dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
why=
tr -d '\r' <"$tmp/out" | grep -q '^No bootable device\.$' || why="no 'No bootable device.' message on COM1"
[ "$st" = 124 ] || [ "$st" = 0 ] || why="${why:+$why; }exit status $st"
report "no kernel, no disk: No bootable device." "$why"

# SIGTERM stops the guest at a block boundary and the run ends as a
# power-off does: the -d logs written, the -icount summary in them, then
# the process dies of the signal (status 143). Sent once the guest runs
# (the BIOS has printed its message), whatever the host's speed.
# ($tmp/out goes first: the case before printed the same message there,
# and a stale copy would send the signal before the emulator started.)
rm -f "$tmp/sig.log" "$tmp/out"
$emu -nographic -no-reboot -icount shift=0 -d icount -D "$tmp/sig.log" </dev/null >"$tmp/out" 2>"$tmp/err" &
sigpid=$!
k=0
while [ $k -lt 300 ] && ! grep -q 'No bootable device' "$tmp/out" 2>/dev/null; do
    sleep 0.1
    k=$((k + 1))
done
kill -TERM $sigpid 2>/dev/null
k=0
while [ $k -lt 300 ] && kill -0 $sigpid 2>/dev/null; do
    sleep 0.1
    k=$((k + 1))
done
kill -KILL $sigpid 2>/dev/null
wait $sigpid
st=$?
why=
grep -q '^icount: [0-9]* guest instructions' "$tmp/sig.log" 2>/dev/null || why="no icount summary in the -D log"
grep -q '^jet86: terminating on signal 15$' "$tmp/err" || why="${why:+$why; }stderr: $(tr '\n' '|' <"$tmp/err")"
[ "$st" = 143 ] || why="${why:+$why; }exit status $st"
report "SIGTERM: a clean stop, logs flushed" "$why"

# a disk without the 0xAA55 signature: refused, then nothing else boots
head -c 1048576 /dev/zero > "$tmp/zero.img"
timeout 3 $emu -nographic -no-reboot -hda "$tmp/zero.img" -fda "$tmp/fd.img" -boot ca </dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
why=
[ "$(tr -d '\r' <"$tmp/out")" = "Boot failed: not a bootable disk
Boot failed: not a bootable disk
No bootable device." ] || why="COM1 was: $(tr -d '\r' <"$tmp/out" | tr '\n' '|')"
[ "$st" = 124 ] || [ "$st" = 0 ] || why="${why:+$why; }exit status $st"
report "unbootable disk and floppy: both refused, No bootable device." "$why"

# -boot order: boot sectors that say which one ran on port 0xE9 and exit
# (MOV AL, c; OUT 0E9h, AL; MOV AL, 0; OUT 0F4h, AL; HLT; then 0xAA55)
bootsec() {
    { printf '\260%s\346\351\260\000\346\364\364' "$1"
      head -c 501 /dev/zero
      printf '\125\252'; } > "$2"
}
bootsec F "$tmp/bootfd.img"
head -c 1474048 /dev/zero >> "$tmp/bootfd.img"
bootsec H "$tmp/boothd.img"
B="-debugcon stdio -serial none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4"
expect_out "-boot a: the floppy boots" 1 "^F\$" -- -fda "$tmp/bootfd.img" -hda "$tmp/boothd.img" -boot a $B
expect_out "-boot c: the hard disk boots" 1 "^H\$" -- -fda "$tmp/bootfd.img" -hda "$tmp/boothd.img" -boot c $B
expect_out "default order cad: the hard disk first" 1 "^H\$" -- -fda "$tmp/bootfd.img" -hda "$tmp/boothd.img" $B
expect_out "-boot order=dac: no CD, then the floppy" 1 "^F\$" -- -fda "$tmp/bootfd.img" -hda "$tmp/boothd.img" -boot order=dac $B
expect_out "a bare image is -hda" 1 "^H\$" -- "$tmp/boothd.img" $B

# the serial console: stdout, a file, nowhere; stdin into the receiver
DX="-device isa-debug-exit,iobase=0xf4,iosize=4"
expect_out "-nographic: COM1 on stdout" 11 "^hi\$" -- -kernel "$tmp/hi.bin" -nographic $DX
expect_out "-rtc base=DATE, clock=vm accepted" 11 "^hi\$" \
    -- -rtc base=2026-12-05T10:20:30,clock=vm -rtc base=localtime -kernel "$tmp/hi.bin" -nographic $DX
expect "-d post logs port 0x80" 11 "^post: 42\$" -- -kernel "$tmp/post.bin" -nographic -d post $DX
expect_out "port 0x92 fast reset, -no-reboot: exit 0" 0 "^x\$" \
    -- -kernel "$tmp/reset92.bin" -nographic -no-reboot -icount shift=0
expect_out "0xCF9 reset, -no-reboot: exit 0" 0 "^x\$" \
    -- -kernel "$tmp/resetcf9.bin" -nographic -no-reboot -icount shift=0
# HLT in host time (no -icount): the CPU sleeps until the PIT's next
# interrupt (the host CPU time it takes is not asserted: no timing here)
expect_out "HLT waits for the timer, host time" 11 "^h\$" -- -kernel "$tmp/hlt.bin" -nographic $DX
expect_out "-serial stdio" 11 "^hi\$" -- -kernel "$tmp/hi.bin" -display none -serial stdio $DX
expect "-serial file:PATH" 11 "" -- -kernel "$tmp/hi.bin" -serial "file:$tmp/com1.txt" $DX
if [ "$(cat "$tmp/com1.txt" 2>/dev/null)" = hi ] && [ ! -s "$tmp/out" ]; then
    report "-serial file:PATH holds the output" ""
else
    report "-serial file:PATH holds the output" "file has '$(cat "$tmp/com1.txt" 2>/dev/null)', stdout '$(cat "$tmp/out")'"
fi
# COM1 output and the -d log on a full disk: said once, the guest runs on
if [ -c /dev/full ]; then
    expect_once "-serial file:/dev/full" 11 "^jet86: warning: -serial file:/dev/full: No space left on device" \
        -- -kernel "$tmp/hi.bin" -serial file:/dev/full $DX
    expect_once "-D /dev/full, flushed at exit" 11 "^jet86: warning: -D /dev/full: No space left on device" \
        -- -kernel "$tmp/hi.bin" -serial none -d in_asm -D /dev/full $DX
    expect_once "-D /dev/full, a long log" 11 "^jet86: warning: -D /dev/full: No space left on device" \
        -- -kernel "$tmp/loop.bin" -serial none -d in_asm,exec,nochain -D /dev/full $DX
    expect_once "-D /dev/full, triple fault" 1 "^jet86: warning: -D /dev/full: No space left on device" \
        -- -kernel "$K" -nographic -no-reboot -d in_asm,int -D /dev/full
    timeout "$tmo" $emu -kernel "$tmp/hi.bin" -nographic $DX </dev/null >/dev/full 2>"$tmp/err"
    st=$?
    n=$(grep -c '^jet86: warning: stdout: No space left on device' "$tmp/err")
    why=
    [ "$st" = 11 ] || why="exit status $st, expected 11"
    [ "$n" = 1 ] || why="${why:+$why; }said $n times, expected once"
    report "-nographic, stdout on /dev/full" "$why"
else
    echo "SKIP output to /dev/full: no /dev/full"
fi
expect "-m 1.5G accepted" 11 "" -- -m 1.5G -kernel "$tmp/hi.bin" -serial none $DX
expect "-m size=64M accepted" 11 "" -- -m size=64M -kernel "$tmp/hi.bin" -serial none $DX
expect "-serial none" 11 "" -- -kernel "$tmp/hi.bin" -serial none $DX
[ -s "$tmp/out" ] && report "-serial none prints nothing" "stdout not empty" ||
    report "-serial none prints nothing" ""
# -d stats at exit (here through isa-debug-exit): memory, start-up, blocks
expect "-d stats: memory" 11 "^stats: peak RSS [0-9.]+ MiB, guest RAM resident [0-9.]+ MiB, beyond guest RAM [0-9.]+ MiB\$" \
    -- -kernel "$tmp/hi.bin" -serial none -d stats $DX
expect "-d stats: start-up" 11 "^stats: first guest instruction [0-9.]+ ms after start\$" \
    -- -kernel "$tmp/hi.bin" -serial none -d stats $DX
expect "-d stats: blocks" 11 "^stats: [1-9][0-9]* blocks translated, 0 code-cache flushes\$" \
    -- -kernel "$tmp/hi.bin" -serial none -d stats $DX
# -d nochain: no block is entered through a chain, so exec logs every
# entry: the guest's loops show up as many more lines than with chaining
n1=$(timeout "$tmo" $emu -kernel "$tmp/loop.bin" -serial none -d exec -icount shift=0 $DX 2>&1 </dev/null |
    grep -c '^Trace .*/00100025/')
n2=$(timeout "$tmo" $emu -kernel "$tmp/loop.bin" -serial none -d exec,nochain -icount shift=0 $DX 2>&1 </dev/null |
    grep -c '^Trace .*/00100025/')
# the first block runs LOOP once; the LOOP-only block runs the other 999
if [ "$n2" -ge 999 ] && [ "$n1" -lt 10 ]; then
    report "-d exec,nochain logs every block entry ($n2 times the loop, $n1 chained)" ""
else
    report "-d exec,nochain logs every block entry" "the loop logged $n2 times with nochain, $n1 without"
fi
printf 'echo me q' | timeout "$tmo" $emu -kernel "$tmp/echo.bin" -nographic -icount shift=0 $DX \
    >"$tmp/out" 2>"$tmp/err"
st=$?
why=
[ "$st" = 11 ] || why="exit status $st, expected 11"
[ "$(cat "$tmp/out")" = "echo me " ] || why="${why:+$why; }echoed '$(cat "$tmp/out")'"
report "stdin reaches the COM1 receiver" "$why"

# without -no-reboot a triple fault resets the machine and boots again
timeout 3 $emu -kernel "$tmp/reboot.bin" -nographic -icount shift=0 </dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
n=$(tr -cd x <"$tmp/out" | wc -c)
why=
[ "$st" = 124 ] || why="exit status $st, expected 124 (still rebooting at the timeout)"
[ "$n" -ge 3 ] || why="${why:+$why; }booted $n times"
report "triple fault resets the machine" "$why"

# a jump to the reset vector after the boot is a reboot: with -no-reboot
# the run ends (triple fault), without it the kernel boots again
expect "jump to the reset vector, -no-reboot" 1 "^jet86: triple fault" \
    -- -kernel "$tmp/resetvec.bin" -nographic -no-reboot -icount shift=0
[ "$(tr -d '\r' <"$tmp/out")" = B ] ||
    report "jump to the reset vector: one boot" "printed '$(cat "$tmp/out")'"
timeout 3 $emu -kernel "$tmp/resetvec.bin" -nographic -icount shift=0 </dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
n=$(tr -cd B <"$tmp/out" | wc -c)
why=
[ "$st" = 124 ] || why="exit status $st, expected 124 (still rebooting at the timeout)"
[ "$n" -ge 3 ] || why="${why:+$why; }booted $n times"
report "jump to the reset vector reboots" "$why"

# run_random KERNEL SECS NAME: a random-code kernel on backend $acc must
# end in a triple fault (1), a guest reset (0) or be running at the
# timeout (124); a signal or an internal error is a host crash.
run_random() {
    timeout "$2" $emu -accel "$acc" -kernel "$1" -nographic -no-reboot \
        -icount shift=0 </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    case "$st" in
    0|1|124) why= ;;
    *) why="exit status $st (host crash or internal error)" ;;
    esac
    grep -Eq 'internal error|Sanitizer|runtime error' "$tmp/err" && why="${why:+$why; }internal error"
    report "$3" "$why"
}

# every backend this binary has
backends=$($emu -accel tcg,backend=help 2>/dev/null | grep -E '^[a-z0-9_]+$')
[ -n "$backends" ] || backends=interp

for be in $backends; do
    acc="tcg,backend=$be"
    expect "triple fault, -no-reboot [$be]" 1 "^jet86: triple fault" \
        -- -accel "$acc" -kernel "$K" -nographic -no-reboot
    if ! grep -q '^EAX=' "$tmp/err" || ! grep -q '^EIP=' "$tmp/err"; then
        report "triple fault prints registers [$be]" "no register dump on stderr"
    else
        report "triple fault prints registers [$be]" ""
    fi
    expect "triple fault, deterministic [$be]" 1 "^jet86: triple fault" \
        -- -accel "$acc" -kernel "$K" -nographic -no-reboot -icount shift=0

    # random bytes as code: only a triple fault (1), a guest reset (0) or
    # still running at the timeout (124) are acceptable; a signal or an
    # internal error is a host crash
    for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
        { mb_aout_header 0x100000; random_bytes "$seed" 16384; } >"$tmp/rand.bin"
        run_random "$tmp/rand.bin" 3 "random code, seed $seed [$be]"
    done

    # the same with every exception recovered: much more code runs
    for seed in 21 22 23 24 25 26 27 28; do
        fuzz_kernel "$seed" 16384 >"$tmp/fuzz.bin"
        run_random "$tmp/fuzz.bin" 2 "random code with recovering handlers, seed $seed [$be]"
    done
done

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
