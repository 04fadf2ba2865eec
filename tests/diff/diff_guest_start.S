/* diff_guest_start.S - entry of the differential test's Multiboot guest:
 * the Multiboot v1 header, the boot stack, loading the guest's own GDT
 * (Multiboot leaves GDTR unspecified), and the exception stubs that turn
 * a faulting case into a diff_fault record (see diff_guest.c). */
#include "tests/diff/diff.h"

    .section .multiboot, "a"
    .balign 4
    .long 0x1badb002            /* magic */
    .long 0                     /* flags: ELF, nothing requested */
    .long -0x1badb002           /* checksum */

    .bss
    .balign 16
boot_stack:
    .skip 16384
boot_stack_top:

    .text
    .globl _start
_start:
    movl $boot_stack_top, %esp
    pushl %ebx                  /* Multiboot information */
    pushl %eax                  /* magic */
    call diff_guest_main
1:  hlt
    jmp 1b

/* void diff_guest_load_gdt(const void *gdtr): flat code 0x08, data 0x10. */
    .globl diff_guest_load_gdt
diff_guest_load_gdt:
    movl 4(%esp), %eax
    lgdt (%eax)
    ljmp $0x08, $2f
2:  movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    ret

/* Exception stubs: a uniform frame (vector, error code or 0, then the
 * CPU's EIP/CS/EFLAGS) and PUSHA, handed to diff_guest_fault, then back
 * to the executor on its saved stack. Vectors 8, 10-14 and 17 push an
 * error code (SDM 3A 6.13). */
.macro isr n, err
    .globl diff_isr\n
diff_isr\n:
    .if \err == 0
    pushl $0
    .endif
    pushl $\n
    jmp isr_common
.endm
    isr 0, 0
    isr 1, 0
    isr 2, 0
    isr 3, 0
    isr 4, 0
    isr 5, 0
    isr 6, 0
    isr 7, 0
    isr 8, 1
    isr 9, 0
    isr 10, 1
    isr 11, 1
    isr 12, 1
    isr 13, 1
    isr 14, 1
    isr 15, 0
    isr 16, 0
    isr 17, 1
    isr 18, 0
    isr 19, 0

isr_common:
    cld
    pushal
    pushl %esp
    call diff_guest_fault
    jmp diff_exec_resume_fault

    .section .note.GNU-stack, "", @progbits
