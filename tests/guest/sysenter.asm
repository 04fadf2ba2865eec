; sysenter: the assembly half of sysenter.c.  se_user runs at CPL 3 (through
; rt_user_call): it records its state, sets IF and executes SYSENTER, which
; lands at se_kernel in ring 0 with IA32_SYSENTER_ESP as the stack; that
; records the ring-0 state and executes SYSEXIT with ECX = the user stack and
; EDX = se_back, back in ring 3, which records the state again and returns.
bits 32

section .bss
global se_u_cs, se_u_ss, se_k_cs, se_k_ss, se_k_esp, se_k_eflags
global se_b_cs, se_b_ss, se_b_esp, se_b_eflags, se_user_esp
se_u_cs:     resd 1
se_u_ss:     resd 1
se_k_cs:     resd 1
se_k_ss:     resd 1
se_k_esp:    resd 1
se_k_eflags: resd 1
se_b_cs:     resd 1
se_b_ss:     resd 1
se_b_esp:    resd 1
se_b_eflags: resd 1
se_user_esp: resd 1

section .text
global se_user, se_kernel
se_user:
        pushad
        mov eax, cs
        mov [se_u_cs], eax
        mov eax, ss
        mov [se_u_ss], eax
        sti                             ; IOPL 3; the PIC masks every IRQ
        mov [se_user_esp], esp
        sysenter
se_back:
        mov eax, cs
        mov [se_b_cs], eax
        mov eax, ss
        mov [se_b_ss], eax
        mov [se_b_esp], esp
        pushfd
        pop dword [se_b_eflags]
        cli
        popad
        ret

se_kernel:
        mov eax, cs
        mov [se_k_cs], eax
        mov eax, ss
        mov [se_k_ss], eax
        mov [se_k_esp], esp
        pushfd
        pop dword [se_k_eflags]
        mov ecx, [se_user_esp]
        mov edx, se_back
        sysexit

section .note.GNU-stack noalloc noexec nowrite progbits
