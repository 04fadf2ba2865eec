; selrm: the assembly half of selrm.c.  A 16-bit blob copied to RM_BASE runs
; LAR, LSL, VERR, VERW and ARPL, each of which must raise #UD outside
; protected mode (SDM 2: "not recognized in real-address mode" and in
; virtual-8086 mode).  Before each it stores the instruction's length at
; OFF(ud_len), so that a #UD handler can step over it: in real mode the IVT
; handler rm_ud below, in virtual-8086 mode selrm.c's handler through the
; IDT.  The handlers count the #UDs in OFF(ud_count).
;   selrm_real(): protected -> real mode (SDM 3A 9.9.2), the tests, back.
;   selrm_v86 (at RM_SEG:OFF(v86_entry)): the tests, then INT 0x7f, which
;   rt_v86_call takes as the way back.
bits 32
RM_BASE equ 0x8000
RM_SEG equ RM_BASE >> 4
%define OFF(x) ((x) - rm_start)

section .data
saved_esp: dd 0
saved_idtr: dw 0
            dd 0

section .text
global selrm_real, selrm_copy, rm_start, ud_len, ud_count, v86_entry
; void selrm_copy(void): the blob to RM_BASE
selrm_copy:
        pushad
        mov esi, rm_start
        mov edi, RM_BASE
        mov ecx, rm_end - rm_start
        cld
        rep movsb
        popad
        ret

selrm_real:
        pushad
        cli
        sidt [saved_idtr]
        mov [saved_esp], esp
        jmp 0x18:OFF(pm16_entry)        ; 16-bit code segment, base RM_BASE

pm32_back:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, [saved_esp]
        lidt [saved_idtr]
        popad
        ret

bits 16
rm_start:
pm16_entry:
        mov ax, 0x20                    ; 16-bit data segment, base RM_BASE
        mov ds, ax
        mov es, ax
        mov ss, ax
        lidt [OFF(rm_idtr)]
        mov eax, cr0
        and eax, ~1
        mov cr0, eax
        jmp RM_SEG:OFF(rm_entry)

rm_entry:
        mov ax, RM_SEG
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0xfff0
        xor ax, ax
        mov fs, ax
        push word [fs:6 * 4]            ; the IVT's #UD vector, kept
        push word [fs:6 * 4 + 2]
        mov word [fs:6 * 4], OFF(rm_ud)
        mov word [fs:6 * 4 + 2], RM_SEG
        call tests
        pop word [fs:6 * 4 + 2]
        pop word [fs:6 * 4]
        mov eax, cr0
        or eax, 1
        mov cr0, eax
        jmp dword 0x08:pm32_back

v86_entry:
        call tests
        int 0x7f

; the five instructions, on a selector that protected mode would accept
tests:
        mov bx, 0x08
        mov byte [cs:OFF(ud_len)], 3
        lar ax, bx                      ; 0F 02 C3
        mov byte [cs:OFF(ud_len)], 4
        lsl eax, ebx                    ; 66 0F 03 C3
        mov byte [cs:OFF(ud_len)], 3
        verr bx                         ; 0F 00 E3
        mov byte [cs:OFF(ud_len)], 3
        verw bx                         ; 0F 00 EB
        mov byte [cs:OFF(ud_len)], 2
        arpl bx, ax                     ; 63 C3
        mov byte [cs:OFF(ud_len)], 5
        arpl [cs:OFF(scratch)], ax      ; 2E 63 06 disp16: 5 bytes
        ret

rm_ud:
        push bp
        mov bp, sp
        push ax
        xor ax, ax
        mov al, [cs:OFF(ud_len)]
        add [bp + 2], ax
        inc word [cs:OFF(ud_count)]
        pop ax
        pop bp
        iret

rm_idtr:   dw 0x3ff
           dd 0
ud_len:    db 0
ud_count:  dw 0
scratch:   dw 0
rm_end:

section .note.GNU-stack noalloc noexec nowrite progbits
