/* Included first (gcc -include) when hostcheck.sh builds a guest program as
 * a 64-bit host program, for a host that runs no 32-bit code.  The programs
 * load EFLAGS with "pushl REG; popfl" (or "pushl $IMM; popfl") and read it
 * with "pushfl; popl REG" around the instruction under test; 64-bit mode
 * has no 32-bit PUSH, POP, PUSHF or POPF.  These assembler macros take
 * their place: the same 32-bit value goes through an 8-byte stack slot
 * (upper half zero) with PUSHFQ and POPFQ, and no flag changes on the way.
 * popl writes the 32-bit register, which clears the upper half of the
 * 64-bit one: right for the asm output it fills, wrong for restoring a
 * saved register (the programs that save EBP around a call do it with
 * pushq/popq under #ifdef __x86_64__).
 * The build uses -mno-red-zone: these pushes go below the stack pointer. */
#ifndef GUEST_RT_HOST64_H
#define GUEST_RT_HOST64_H

__asm__(".macro pushl src\n"
        "\tleaq -8(%rsp), %rsp\n"
        "\tmovl \\src, (%rsp)\n"
        "\tmovl $0, 4(%rsp)\n"
        ".endm\n"
        ".macro popl dst\n"
        "\tmovl (%rsp), \\dst\n"
        "\tleaq 8(%rsp), %rsp\n"
        ".endm\n"
        ".macro pushfl\n"
        "\tpushfq\n"
        ".endm\n"
        ".macro popfl\n"
        "\tpopfq\n"
        ".endm\n");

#endif
