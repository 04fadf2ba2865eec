/* diff_exec.S - the differential test's executor: loads all eight general
 * registers and EFLAGS from diff_in, jumps to the case's instruction bytes
 * at DIFF_CODE (which end in `jmp *DIFF_RETPTR`), and stores the registers
 * and EFLAGS it finds there into diff_out. The same file runs natively
 * (Linux i386 process) and in the Multiboot guest.
 *
 * int diff_exec(void): 0 when the instruction completed, 1 when it
 * faulted (the platform's fault handler fills diff_fault and continues at
 * diff_exec_resume_fault on the host stack saved here).
 */
#include "diff.h"

    .data
    .balign 4
diff_saved_esp:
    .long 0
diff_code_ptr:
    .long DIFF_CODE
diff_saved_es:
    .long 0
diff_saved_fs:
    .long 0
diff_saved_gs:
    .long 0

    .text
    .globl diff_exec
    .globl diff_exec_return
    .globl diff_exec_resume_fault
diff_exec:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, diff_saved_esp
    /* The case may load ES, FS, GS (with DS's value, as DS and SS); FS
       starts as the scratch area's 64 KiB segment. */
    movw %es, diff_saved_es
    movw %fs, diff_saved_fs
    movw %gs, diff_saved_gs
    movw diff_area_sel, %ax
    movw %ax, %fs
    /* 16-bit code is entered through a far jump (diff.h). */
    movl $DIFF_CODE, diff_code_ptr
    cmpl $0, diff_code16
    je 3f
    movl $diff_enter16, diff_code_ptr
3:
    /* POPF from the eflags field of diff_in, then the registers; MOV
       changes no flag, so the case starts with exactly diff_in. */
    movl $diff_in + 32, %esp
    popfl
    movl diff_in + 0, %eax
    movl diff_in + 4, %ecx
    movl diff_in + 8, %edx
    movl diff_in + 12, %ebx
    movl diff_in + 20, %ebp
    movl diff_in + 24, %esi
    movl diff_in + 28, %edi
    movl diff_in + 16, %esp
    jmp *diff_code_ptr

diff_enter16:
    ljmp *diff_code_far

diff_exec_return:
    movl %esp, diff_out + 16
    movl $diff_out + 36, %esp
    pushfl
    movl %eax, diff_out + 0
    movl %ecx, diff_out + 4
    movl %edx, diff_out + 8
    movl %ebx, diff_out + 12
    movl %ebp, diff_out + 20
    movl %esi, diff_out + 24
    movl %edi, diff_out + 28
    movl diff_saved_esp, %esp
    cld
    xorl %eax, %eax
    jmp 1f

diff_exec_resume_fault:
    movl diff_saved_esp, %esp
    cld
    movl $1, %eax
1:
    movw diff_saved_es, %es
    movw diff_saved_fs, %fs
    movw diff_saved_gs, %gs
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .section .note.GNU-stack, "", @progbits
