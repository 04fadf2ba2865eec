/*
 * guest_entry.S - Multiboot v1 header and entry of the benchmark guests.
 * The loader leaves 32-bit protected mode with flat segments, EAX = the
 * Multiboot magic and EBX = the information block; we clear .bss, set a
 * stack and call bench_guest_main(magic, info), which never returns.
 * Assembled with gcc -m32 (GNU as), so no other assembler is needed.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* page-aligned modules, memory info */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    cli
    cld
    /* The loader zeroes .bss already; do it again so nothing depends on
     * it (EAX and EBX must survive). */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    mov %eax, %edx
    xor %eax, %eax
    rep stosb
    mov %edx, %eax
    mov $bench_stack_top, %esp
    push %ebx
    push %eax
    call bench_guest_main
1:  hlt
    jmp 1b

    .section .stack, "aw", @nobits
    .align 16
    .skip 65536
bench_stack_top:

    /* No executable stack wanted. */
    .section .note.GNU-stack, "", @progbits
