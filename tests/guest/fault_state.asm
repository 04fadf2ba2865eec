; fault_state: straight-line blocks that fault in the middle (the assembly
; half; fault_state.c installs the handlers and prints).  Before each block
; the expected faulting EIP goes to fs_expect and the resume address to
; fs_resume; the block's ESP at the fault goes to fs_esp.
bits 32
extern fs_expect, fs_resume, fs_esp
section .data
global fs_mem
fs_mem: dd 0, 0, 0, 0

section .text
%macro ENTER_BLOCK 0
        push ebp
        push ebx
        push esi
        push edi
%endmacro
%macro LEAVE_BLOCK 0
        pop edi
        pop esi
        pop ebx
        pop ebp
        ret
%endmacro

; #DE in the middle of a block: registers, flags from the ADD, a store done
; just before.
global fault_de
fault_de:
        ENTER_BLOCK
        mov dword [fs_expect], .fault
        mov dword [fs_resume], .resume
        mov [fs_esp], esp
        mov eax, 0x7ffffff0
        mov ebx, 0x0b0b0b0b
        mov ecx, 0
        mov edx, 0x00000000
        mov esi, 0x51515151
        mov edi, 0xd1d1d1d1
        mov ebp, 0xb9b9b9b9
        mov dword [fs_mem], 0xfeedface
        inc ebx
        add eax, 0x10                  ; OF SF AF PF set, ZF CF clear
        lea esi, [esi + 4]             ; does not touch flags
.fault: div ecx
        mov dword [fs_mem], 0          ; must not run
.resume:
        LEAVE_BLOCK

; #GP(selector) from loading a selector beyond the GDT limit into DS, after
; a SUB that sets CF SF AF PF.
global fault_gp
fault_gp:
        ENTER_BLOCK
        mov dword [fs_expect], .fault
        mov dword [fs_resume], .resume
        mov [fs_esp], esp
        mov eax, 0x00000800           ; selector index 256: past the limit
        mov ebx, 1
        mov ecx, 2
        mov edx, 0x12345678
        mov esi, 0x0
        mov edi, 0xffffffff
        mov ebp, 0x42
        sub ebx, ecx                   ; -1: CF SF PF AF set
        mov dword [fs_mem + 4], 0xabcdef01
        push dword 0x99
        pop esi
.fault: mov ds, ax
        mov esi, 0                     ; must not run
.resume:
        LEAVE_BLOCK

; #NP(selector) from loading the not-present descriptor 0x38 into ES.
global fault_np
fault_np:
        ENTER_BLOCK
        mov dword [fs_expect], .fault
        mov dword [fs_resume], .resume
        mov [fs_esp], esp
        mov eax, 0x38
        mov ebx, 0x0fffffff
        mov ecx, 0x3
        mov edx, 0x44
        mov esi, 0x55
        mov edi, 0x66
        mov ebp, 0x77
        xor edx, edx
        dec ecx                        ; 3 -> 2: every flag clear (CF kept clear)
.fault: mov es, ax
        mov ecx, 0                     ; must not run
.resume:
        LEAVE_BLOCK

; #GP(selector) from loading the execute-only code segment 0x40 into FS
; (a data segment register may not hold a non-readable code segment).
global fault_xo
fault_xo:
        ENTER_BLOCK
        mov dword [fs_expect], .fault
        mov dword [fs_resume], .resume
        mov [fs_esp], esp
        mov eax, 0x40
        mov ebx, 0x80000000
        add ebx, ebx                   ; ZF CF OF PF set
        mov ecx, 0xc
        mov edx, 0xd
        mov esi, 0xe
        mov edi, 0xf
        mov ebp, 0x10
        mov dword [fs_mem + 8], 0x600d600d
.fault: mov fs, ax
        mov ecx, 0                     ; must not run
.resume:
        LEAVE_BLOCK

; #UD (UD2) in mid-block after an ADD that sets CF and OF.
global fault_ud
fault_ud:
        ENTER_BLOCK
        mov dword [fs_expect], .fault
        mov dword [fs_resume], .resume
        mov [fs_esp], esp
        mov eax, 0x80000001
        mov ebx, 0xbb
        mov ecx, 0xcc
        mov edx, 0xdd
        mov esi, 0x5e
        mov edi, 0xd1
        mov ebp, 0xbe
        add eax, eax                   ; CF=1 OF=1, result 2
        push eax
        pop edx
.fault: ud2
        mov edx, 0                     ; must not run
.resume:
        LEAVE_BLOCK

; #DE from IDIV reading its divisor from memory, in a loop: the fault comes
; in the third iteration, after two complete ones.
global fault_loop
fault_loop:
        ENTER_BLOCK
        mov dword [fs_expect], .fault
        mov dword [fs_resume], .resume
        mov [fs_esp], esp
        mov dword [fs_mem + 12], 0
        mov ebp, 0x1b
        mov ecx, 3
        xor edi, edi
        mov ebx, 100
.top:   mov eax, ebx
        cdq
        mov esi, ecx
        dec esi
        mov [fs_mem + 12], esi         ; divisor 2, 1, then 0
        inc edi
.fault: idiv dword [fs_mem + 12]
        add ebx, eax
        dec ecx
        jnz .top
.resume:
        mov eax, ebx
        LEAVE_BLOCK

section .note.GNU-stack noalloc noexec nowrite progbits
