; unreal: segment limits in real mode (SDM 3A 20.1.1: real-address mode
; keeps the limits and attributes of the hidden descriptor caches; a load
; only sets the selector and the base). unreal_run() copies the 16-bit blob
; below to 0x8000, enters it through a 16-bit code segment, loads FS with
; a 4 GiB data segment and the other data registers with 64 KiB ones,
; clears CR0.PE and runs the tests; each stores the vector (0: none) and
; the offset of the faulting instruction in a table that unreal.c prints.
; Real mode pushes no error code; faults come through the IVT at 0.
bits 32
RM_BASE equ 0x8000
RM_SEG equ RM_BASE >> 4
%define OFF(x) ((x) - rm_start)
SEL_CODE16 equ 0x48                    ; base RM_BASE, limit 0xffff, 16-bit
SEL_DATA16 equ 0x50                    ; base RM_BASE, limit 0xffff
SEL_FLAT equ 0x58                      ; base 0, limit 4 GiB

section .data
saved_esp: dd 0
saved_idtr: dw 0
            dd 0

section .text
global unreal_run, rm_start, rm_end, rm_results, rm_values
unreal_run:
        pushad
        cli
        sidt [saved_idtr]
        mov [saved_esp], esp
        mov esi, rm_start
        mov edi, RM_BASE
        mov ecx, rm_end - rm_start
        cld
        rep movsb
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

; Tries one test: clears the fault record, and names where to resume.
%macro TRY 1
        mov word [cs:OFF(f_vec)], 0
        mov word [cs:OFF(f_ip)], 0
        mov word [cs:OFF(resume)], OFF(%1)
%endmacro
; Where the test resumes, fault or not: appends vector and offset.
%macro DONE 1
%1:     mov bx, [cs:OFF(nres)]
        mov ax, [cs:OFF(f_vec)]
        mov [cs:OFF(rm_results) + bx], ax
        mov ax, [cs:OFF(f_ip)]
        mov [cs:OFF(rm_results) + bx + 2], ax
        add word [cs:OFF(nres)], 4
%endmacro

; ---------------------------------------------------------------------------
bits 16
rm_start:
        nop
; offset 1: where QEMU, which does not check the CS limit, lands after the
; instruction at 0xfffe wraps IP (unreal.qemu-expected)
        jmp word wrapped
pm16_entry:
        mov ax, SEL_DATA16
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov gs, ax
        mov ax, SEL_FLAT
        mov fs, ax
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
        mov fs, ax                     ; base 0, limit still 4 GiB
        mov gs, ax                     ; base 0, limit 64 KiB
        mov word [fs:13 * 4], OFF(rm_gp)
        mov word [fs:13 * 4 + 2], RM_SEG
        mov word [fs:12 * 4], OFF(rm_ss)
        mov word [fs:12 * 4 + 2], RM_SEG

        TRY .t1                        ; the last byte of DS
        mov al, [0xffff]
        DONE .t1
        TRY .t2                        ; a word across the DS limit: #GP
        mov ax, [0xffff]
        DONE .t2
        TRY .t3                        ; a 32-bit offset beyond it: #GP
        mov esi, 0x10000
        mov al, [esi]
        DONE .t3
        TRY .t4                        ; a word across the SS limit: #SS
        mov ax, [ss:0xffff]
        DONE .t4
        TRY .t5                        ; BP-based: SS too
        mov ebp, 0xfffe
        mov eax, [ebp]
        DONE .t5
        TRY .t6                        ; unreal FS: read and write at 3 MiB
        mov esi, 0x300000
        mov eax, [fs:esi]
        mov [OFF(rm_values)], eax
        add eax, 0x01010101
        mov [fs:esi + 4], eax
        DONE .t6
        TRY .t7                        ; a real-mode load keeps the limit
        xor ax, ax
        mov fs, ax
        mov eax, [fs:dword 0x300004]
        mov [OFF(rm_values) + 4], eax
        DONE .t7
        TRY .t8                        ; GS: 64 KiB, so #GP at 3 MiB
        mov eax, [gs:dword 0x300000]
        DONE .t8
        mov si, OFF(landing)           ; for QEMU: see landing
        mov edi, RM_BASE + 0x10000
        mov cx, landing_end - landing
.copy:  mov al, [si]
        mov [fs:edi], al
        inc si
        inc edi
        loop .copy
        TRY .t9                        ; a 32-bit near JMP past the CS limit
        jmp dword rm_start + 0x10000
        DONE .t9
        TRY .t10                       ; an instruction across the CS limit
        mov byte [fs:dword RM_BASE + 0xfffe], 0xb8  ; MOV AX, 0x1234 at 0xfffe
        mov byte [fs:dword RM_BASE + 0xffff], 0x34
        mov byte [fs:dword RM_BASE + 0x10000], 0x12
        jmp word rm_start + 0xfffe
        DONE .t10

        ; back to protected mode
        mov eax, cr0
        or eax, 1
        mov cr0, eax
        jmp dword 0x08:pm32_back

; copied to offset 0x10000, where QEMU lands after the JMP of test 9
landing:
        mov word [cs:OFF(f_vec)], 0xfffe
        jmp word [cs:OFF(resume)]
landing_end:

wrapped:
        mov word [cs:OFF(f_vec)], 0xffff
        jmp word [cs:OFF(resume)]

rm_gp:  mov word [cs:OFF(f_vec)], 13
        jmp rm_fault
rm_ss:  mov word [cs:OFF(f_vec)], 12
rm_fault:
        push bp
        mov bp, sp
        push ax
        mov ax, [bp + 2]               ; the faulting IP
        mov [cs:OFF(f_ip)], ax
        mov ax, [cs:OFF(resume)]
        mov [bp + 2], ax
        mov word [bp + 4], RM_SEG
        pop ax
        pop bp
        iret

rm_idtr:   dw 0x3ff
           dd 0
f_vec:     dw 0
f_ip:      dw 0
resume:    dw 0
nres:      dw 0
align 4
rm_values: dd 0, 0
rm_results: times 16 dd 0
rm_end:

section .note.GNU-stack noalloc noexec nowrite progbits
