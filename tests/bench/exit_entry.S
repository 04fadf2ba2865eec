/*
 * exit_entry.S - the smallest Multiboot guest: its first instruction writes
 * 0 to the isa-debug-exit port. A run of it measures the emulator's start-up
 * and shutdown, i.e. the time to the guest's first instruction.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    xor %eax, %eax
    outl %eax, $0xf4
1:  cli
    hlt
    jmp 1b

    /* No executable stack wanted. */
    .section .note.GNU-stack, "", @progbits
