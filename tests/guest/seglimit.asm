; seglimit: the assembly half of seglimit.c. seg_run(body) saves every
; register and the data segment registers, calls body (which may load any
; segment and fault), and restores them on return; the fault handler of
; seglimit.c resumes at seg_resume, which does the same restore. The
; bodies load the selectors that seglimit.c set up (below) and make one
; access each; the offset is in EBX unless said otherwise.
;   0x48 data RW, base 0x500000, limit 0xfff (byte granular)
;   0x50 data RW, base 0x500000, limit 0 (page granular: 0xfff)
;   0x58 data RW expand-down, B=1, base 0x500000, limit 0xfff
;   0x60 data RW expand-down, B=0, base 0x500000, limit 0xfff
;   0x68 data read-only, base 0x500000, limit 0xfff
;   0x70 data RW, base 0x500000, limit 0xfff, accessed bit clear
;   0x78 data RW (stack), base 0 (the handlers' C code runs on it),
;        limit 0x501fff
bits 32
SEL_UP equ 0x48
SEL_PAGE equ 0x50
SEL_DOWN32 equ 0x58
SEL_DOWN16 equ 0x60
SEL_RO equ 0x68
SEL_ACC equ 0x70
SEL_STK equ 0x78
SEL_CODE equ 0x08               ; rt: flat code, execute/read
SEL_XO equ 0x40                 ; rt: flat code, execute-only

section .text
; void seg_run(void (*body)(void), uint32_t ebx, uint32_t ecx)
global seg_run, seg_resume
seg_run:
        pushad
        push ds
        push es
        push fs
        push gs
        mov [saved_esp], esp
        mov eax, [esp + 52]
        mov ebx, [esp + 56]
        mov ecx, [esp + 60]
        call eax
seg_resume:
        cld
        mov ax, 0x10
        mov ss, ax
        mov ds, ax
        mov esp, [saved_esp]
        mov [after_ecx], ecx
        mov [after_esi], esi
        mov [after_edi], edi
        pop gs
        pop fs
        pop es
        pop ds
        popad
        ret

; ---- bodies: load a segment into FS (or DS/ES/SS), access [ebx] ----
%macro LOADFS 1
        mov ax, %1
        mov fs, ax
%endmacro

global rd8_up, rd32_up, rd32_page, rd32_down32, rd32_down16, rd16_down16
rd8_up:
        LOADFS SEL_UP
        mov al, [fs:ebx]
        ret
rd32_up:
        LOADFS SEL_UP
        mov eax, [fs:ebx]
        ret
rd32_page:
        LOADFS SEL_PAGE
        mov eax, [fs:ebx]
        ret
rd32_down32:
        LOADFS SEL_DOWN32
        mov eax, [fs:ebx]
        ret
rd32_down16:
        LOADFS SEL_DOWN16
        mov eax, [fs:ebx]
        ret
rd16_down16:
        LOADFS SEL_DOWN16
        mov ax, [fs:ebx]
        ret

; a 16-bit address (67 prefix) wraps at 64 KiB before the limit check
global rd32_a16_down16
rd32_a16_down16:
        LOADFS SEL_DOWN16
        a16 mov eax, [fs:bx + 0x10]
        ret

; read-only data: reads pass, writes and read-modify-writes fault
global rd_ro, wr_ro, rmw_ro, movzx_ro, xchg_ro
rd_ro:
        LOADFS SEL_RO
        mov eax, [fs:ebx]
        ret
wr_ro:
        LOADFS SEL_RO
        mov dword [fs:ebx], 1
        ret
rmw_ro:
        LOADFS SEL_RO
        add dword [fs:ebx], 1
        ret
movzx_ro:
        LOADFS SEL_RO
        movzx eax, word [fs:ebx]
        ret
xchg_ro:
        LOADFS SEL_RO
        xchg [fs:ebx], eax
        ret

; a readable code segment in DS: reads pass, writes fault
global rd_code_ds, wr_code_ds
rd_code_ds:
        mov ax, SEL_CODE
        mov ds, ax
        mov eax, [ebx]
        ret
wr_code_ds:
        mov ax, SEL_CODE
        mov ds, ax
        mov [ebx], eax
        ret

; execute-only code: a CS-relative read faults (the handler returns to
; CS 0x08); through a readable CS it passes
global rd_cs_xo, rd_cs
rd_cs_xo:
        push dword SEL_XO
        push dword .in
        retf
.in:    mov eax, [cs:ebx]
        push dword SEL_CODE            ; back to the usual CS
        push dword seg_resume
        retf
rd_cs:
        mov eax, [cs:ebx]
        ret

; null selectors: the load passes, any use faults #GP(0)
global null_ds, null_fs_wr, null_es_stos, null_gs_load_only
null_ds:
        xor eax, eax
        mov ds, ax
        mov eax, [ebx]
        ret
null_fs_wr:
        mov ax, 3                      ; null with RPL 3
        mov fs, ax
        mov [fs:ebx], eax
        ret
null_es_stos:
        xor eax, eax
        mov es, ax
        mov edi, ebx
        stosb
        ret
null_gs_load_only:
        xor eax, eax
        mov gs, ax
        mov ecx, 0x600d
        ret

; the accessed bit: load SEL_ACC into FS
global load_acc
load_acc:
        LOADFS SEL_ACC
        ret

; SS: an EBP-based access and a POP beyond the limit are #SS(0); the
; delivery pushes below ESP, which stays inside the limit. These bodies
; end at seg_resume, which restores SS and ESP.
global ss_ebp, ss_pop, ss_ok
ss_ebp:
        mov ax, SEL_STK
        mov ss, ax
        mov esp, 0x501000
        mov ebp, ebx
        mov eax, [ebp]
        jmp seg_resume
ss_pop:
        mov ax, SEL_STK
        mov ss, ax
        mov esp, ebx
        pop eax
        jmp seg_resume
ss_ok:
        mov ax, SEL_STK
        mov ss, ax
        mov esp, ebx
        push dword 0x1234
        pop ecx
        jmp seg_resume

; string instructions: ES limit 0xfff, ECX elements from EDI = EBX;
; the handler resumes with ECX/EDI/ESI as the fault left them
global rep_stosb_up, rep_movsd_up, lodsw_up, rep_stosd_down
rep_stosb_up:
        mov ax, SEL_UP
        mov es, ax
        mov edi, ebx
        mov al, 0x5a
        cld
        rep stosb
        ret
rep_movsd_up:
        mov ax, SEL_UP
        mov es, ax
        mov ds, ax
        mov esi, 0x100
        mov edi, ebx
        cld
        rep movsd
        ret
lodsw_up:
        mov ax, SEL_UP
        mov ds, ax
        mov esi, ebx
        cld
        lodsw
        ret
; going down in an expand-down segment: stops at the limit
rep_stosd_down:
        mov ax, SEL_DOWN32
        mov es, ax
        mov edi, ebx
        mov eax, 0x11223344
        std
        rep stosd
        cld
        ret

section .data
saved_esp: dd 0
global after_ecx, after_esi, after_edi
after_ecx: dd 0
after_esi: dd 0
after_edi: dd 0

section .note.GNU-stack noalloc noexec nowrite progbits
