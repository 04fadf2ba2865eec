/* diff_exec64.S - the executor of the 64-bit native harness: the same job
 * as diff_exec.S (load diff_in, run the case, store diff_out) in a 64-bit
 * Linux process. The case's code (re-encoded by diff_mode64.c) contains
 * no REX prefix, so it cannot reach R8-R15: R12 and R13 carry diff_in and
 * diff_out across it. Registers are loaded with 32-bit moves, so the
 * upper halves start at zero and the case computes 32-bit addresses as in
 * 32-bit mode. The case ends with `jmp *DIFF_RETPTR` (a 64-bit pointer).
 *
 * int diff_exec(void): 0 when the instruction completed, 1 when it
 * faulted (the signal handler fills diff_fault and resumes at
 * diff_exec_resume_fault).
 */
#include "diff.h"

    .data
    .balign 8
diff_saved_rsp:
    .quad 0

    .text
    .globl diff_exec
    .globl diff_exec_return
    .globl diff_exec_resume_fault
diff_exec:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, diff_saved_rsp(%rip)
    leaq diff_in(%rip), %r12
    leaq diff_out(%rip), %r13
    movl $DIFF_CODE, %r14d
    /* EFLAGS first (POPF), then the registers with MOV, which changes no
       flag; ESP last. */
    movl 32(%r12), %eax
    pushq %rax
    popfq
    movl 0(%r12), %eax
    movl 4(%r12), %ecx
    movl 8(%r12), %edx
    movl 12(%r12), %ebx
    movl 20(%r12), %ebp
    movl 24(%r12), %esi
    movl 28(%r12), %edi
    movl 16(%r12), %esp
    jmp *%r14

diff_exec_return:
    movl %eax, 0(%r13)
    movl %ecx, 4(%r13)
    movl %edx, 8(%r13)
    movl %ebx, 12(%r13)
    movl %esp, 16(%r13)
    movl %ebp, 20(%r13)
    movl %esi, 24(%r13)
    movl %edi, 28(%r13)
    movq diff_saved_rsp(%rip), %rsp
    pushfq
    popq %rax
    movl %eax, 32(%r13)
    cld
    xorl %eax, %eax
    jmp 1f

diff_exec_resume_fault:
    movq diff_saved_rsp(%rip), %rsp
    cld
    movl $1, %eax
1:
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .section .note.GNU-stack, "", @progbits
