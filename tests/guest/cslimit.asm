; cslimit: the assembly half of cslimit.c. cs_run(offset, selector) saves
; every register, far-calls selector:offset, and restores them when the
; code returns with RETF or when the fault handler of cslimit.c resumes
; at cs_resume. cs_blob is copied to 0x600000 and run through 32-bit code
; segments based there (cslimit.c sets them up):
;   0x48 limit 0xfff     0x50 limit 0x1001     0x58 limit 0xfffff
; Every entry point below is at a fixed offset in the blob (ENTRY).
bits 32

section .text
global cs_run, cs_resume
cs_run:
        pushad
        mov [saved_esp], esp
        mov eax, [esp + 36]
        mov [far_ptr], eax
        mov eax, [esp + 40]
        mov [far_ptr + 4], eax
        xor eax, eax
        xor ecx, ecx
        call far [far_ptr]
cs_resume:
        mov [after_eax], eax
        mov [after_ecx], ecx
        mov ax, 0x10
        mov ss, ax
        mov ds, ax
        mov esp, [saved_esp]
        popad
        ret

; ---- the blob: position-independent 32-bit code, run at offset 0 ----
%define OFF(x) ((x) - cs_blob)
%macro ENTRY 1
        times (%1) - ($ - cs_blob) db 0x90
%endmacro

global cs_blob, cs_blob_end
cs_blob:
; 0x000: a near JMP to 0x1100 (beyond 0xfff, inside 0xfffff)
        ENTRY 0x000
        mov eax, 1
        jmp cs_blob + 0x1100
; 0x020: a taken Jcc beyond the limit
        ENTRY 0x020
        mov eax, 2
        xor ecx, ecx
        jz cs_blob + 0x1100
        retf
; 0x040: a Jcc beyond the limit, not taken: no fault
        ENTRY 0x040
        mov eax, 3
        xor ecx, ecx
        jnz cs_blob + 0x1100
        retf
; 0x060: CALL beyond the limit: faults before the push (ECX = ESP)
        ENTRY 0x060
        mov eax, 4
        mov ecx, esp
        call cs_blob + 0x1110
; 0x080: RET to an address beyond the limit: ESP stays (ECX = ESP)
        ENTRY 0x080
        mov eax, 5
        push dword 0x1100
        mov ecx, esp
        ret
; 0x0a0: JMP through a register, beyond the limit
        ENTRY 0x0a0
        mov eax, 6
        mov ecx, 0x1100
        jmp ecx
; 0x0e0: JMP to 0xfff, the last byte inside (a NOP: the second byte of
; the MOV's immediate below), which runs; then EIP 0x1000 is beyond
        ENTRY 0x0e0
        mov eax, 8
        jmp cs_blob + 0xfff
; 0x120: with a 16-bit operand size the target wraps to 64 KiB first
        ENTRY 0x120
        mov eax, 10
        mov ecx, 0x10130
        o16 jmp cx                     ; IP = 0x0130
        ENTRY 0x130
        retf

; 0xf80: LOOP taken to 0x1004 (a RETF), beyond the limit 0xfff
        ENTRY 0xf80
        mov eax, 7
        mov ecx, 2
        loop cs_blob + 0x1004
        retf
; 0xff8: five NOPs, MOV EAX, 0x12349078 at 0xffd..0x1001 (its byte at
; 0xfff is 0x90), UD2 at 0x1002
        ENTRY 0xff8
        nop
        nop
        nop
        nop
        nop
        mov eax, 0x12349078
        ud2
        retf                           ; 0x1004
; 0x1100: reached only where the limit allows (0x1110 by a near CALL)
        ENTRY 0x1100
        mov eax, 0xbad
        retf
        ENTRY 0x1110
        add esp, 4
        mov eax, 0xbad
        retf
cs_blob_end:

section .data
saved_esp: dd 0
far_ptr: dd 0, 0
global after_eax, after_ecx
after_eax: dd 0
after_ecx: dd 0

section .note.GNU-stack noalloc noexec nowrite progbits
