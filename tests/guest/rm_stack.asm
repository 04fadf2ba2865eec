; rm_stack: the real-mode blob of rm_stack.c. rm_stack_run(ss_sel, sp)
; copies it to RM_BASE, enters it through a 16-bit code segment, loads SS
; from ss_sel there (its limit stays cached in real mode: "unreal"),
; clears CR0.PE, reloads SS in real mode (base RM_BASE, the limit kept),
; sets SP and runs INT 0x60 through the IVT. The handler notes the SP it
; was entered with and returns; the blob notes SP after the IRET, sets
; CR0.PE again and returns to 32-bit code. rm_stack.c reads the notes.
bits 32
RM_BASE equ 0x8000
RM_SEG equ RM_BASE >> 4
SEL_CODE16 equ 0x48                    ; rm_stack.c's GDT entries
SEL_DATA16 equ 0x50
%define OFF(x) ((x) - rm_start)

section .data
saved_esp: dd 0
saved_idtr: dw 0
            dd 0

section .text
global rm_stack_run, rm_start, rm_notes, rm_int_ret
; void rm_stack_run(uint32_t ss_sel, uint32_t sp)
rm_stack_run:
        pushad
        cli
        sidt [saved_idtr]
        mov [saved_esp], esp
        mov eax, [esp + 36]
        mov ebx, [esp + 40]
        mov esi, rm_start
        mov edi, RM_BASE
        mov ecx, rm_end - rm_start
        cld
        rep movsb
        mov [RM_BASE + OFF(ss_sel)], ax
        mov [RM_BASE + OFF(test_sp)], bx
        ; IVT entry 0x60 -> RM_SEG:OFF(rm_int60)
        mov word [0x60 * 4], OFF(rm_int60)
        mov word [0x60 * 4 + 2], RM_SEG
        jmp SEL_CODE16:OFF(pm16_entry)

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
        mov ax, SEL_DATA16
        mov ds, ax
        mov es, ax
        mov ss, [OFF(ss_sel)]
        lidt [OFF(rm_idtr)]
        mov eax, cr0
        and eax, ~1
        mov cr0, eax
        jmp RM_SEG:OFF(rm_entry)

rm_entry:
        mov ax, RM_SEG
        mov ds, ax
        mov es, ax
        mov ss, ax                     ; base RM_BASE; the limit stays
        mov sp, [OFF(test_sp)]
        int 0x60
rm_int_ret:
        mov [OFF(sp_after)], sp
        mov eax, cr0
        or eax, 1
        mov cr0, eax
        jmp dword 0x08:pm32_back

rm_int60:
        mov [cs:OFF(sp_in)], sp
        iret

rm_idtr:  dw 0x3ff
          dd 0
ss_sel:   dw 0
test_sp:  dw 0
rm_notes:
sp_in:    dw 0
sp_after: dw 0
rm_end:

section .note.GNU-stack noalloc noexec nowrite progbits
