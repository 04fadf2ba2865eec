; gate16: the assembly half of gate16.c.  g16_run far-jumps into a 32-bit
; code segment (SEL_B) whose base is g16_start, so that every offset in it
; fits in 16 bits, and goes through 286 (16-bit) gates whose offset fields
; have garbage in the upper half: INT 0x60 (interrupt gate), INT 0x61 (trap
; gate), UD2 (#UD through a 16-bit interrupt gate), CALL FAR and JMP FAR
; through a 16-bit call gate.  Each handler records the 16-bit frame the
; gate pushed and returns with a 16-bit IRET or RETF.  Before each
; instruction its length goes to g16_len, for gate16.c's #GP handler (if
; a gate's whole offset were used, the target would be past SEL_B's limit).
bits 32
SEL_B equ 0x48
SEL_CALLGATE equ 0x50
%define OFF(x) ((x) - g16_start)

section .bss
global g16_len, g16_seen, g16_ip, g16_cs, g16_flags, g16_if
g16_len:   resd 1
g16_seen:  resd 5                       ; per handler: times run
g16_ip:    resd 5                       ; the 16-bit frame it found
g16_cs:    resd 5
g16_flags: resd 5
g16_if:    resd 5                       ; IF inside the handler
saved_esp: resd 1

section .text
global g16_run, g16_start, g16_h_int, g16_h_trap, g16_h_ud, g16_h_call, g16_h_jmp
global g16_after_int, g16_after_trap, g16_at_ud, g16_after_call
g16_run:
        pushad
        mov [saved_esp], esp
        jmp SEL_B:OFF(g16_body)
g16_done:
        mov esp, [saved_esp]
        popad
        ret

g16_start:
g16_body:
        sti                             ; the PIC masks every IRQ
        mov dword [g16_len], 2
        int 0x60
g16_after_int:
        mov dword [g16_len], 2
        int 0x61
g16_after_trap:
        mov dword [g16_len], 2
g16_at_ud:
        ud2
        mov dword [g16_len], 7
        call SEL_CALLGATE:0
g16_after_call:
        mov dword [g16_len], 7
        jmp SEL_CALLGATE + 8:0          ; GDT entry 11: the same kind of gate
g16_back:
        cli
        jmp 0x08:g16_done

; record(index): the frame at [esp + 4 + ...] (after the push of eax)
%macro RECORD 1
        push eax
        inc dword [g16_seen + 4 * %1]
        movzx eax, word [esp + 4]
        mov [g16_ip + 4 * %1], eax
        movzx eax, word [esp + 6]
        mov [g16_cs + 4 * %1], eax
        movzx eax, word [esp + 8]
        mov [g16_flags + 4 * %1], eax
        pushfd
        pop eax
        shr eax, 9
        and eax, 1
        mov [g16_if + 4 * %1], eax
        pop eax
%endmacro

g16_h_int:
        RECORD 0
        o16 iret
g16_h_trap:
        RECORD 1
        o16 iret
g16_h_ud:
        RECORD 2
        add word [esp], 2               ; past UD2
        o16 iret
g16_h_call:
        RECORD 3                        ; (the flags slot is the caller's stack)
        o16 retf
g16_h_jmp:
        RECORD 4
        jmp g16_back

section .note.GNU-stack noalloc noexec nowrite progbits
