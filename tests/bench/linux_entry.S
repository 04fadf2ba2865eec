/*
 * linux_entry.S - entry of the benchmark workload as a static i386 Linux
 * program without a C library (linux_glue.c). The kernel starts _start
 * with ESP pointing at argc, then the argv pointers (i386 psABI, "Process
 * Initialization"); we align the stack to 16 bytes, call
 * bench_linux_main(argc, argv) and pass its result to exit (int 0x80,
 * EAX = __NR_exit = 1, EBX = status). Assembled with gcc -m32.
 */
    .text
    .globl _start
_start:
    xor %ebp, %ebp
    mov (%esp), %eax        /* argc */
    lea 4(%esp), %edx       /* argv */
    and $-16, %esp
    sub $8, %esp
    push %edx
    push %eax
    call bench_linux_main
    mov %eax, %ebx
    mov $1, %eax
    int $0x80
    hlt                     /* not reached: exit does not return */

    .section .note.GNU-stack, "", @progbits
