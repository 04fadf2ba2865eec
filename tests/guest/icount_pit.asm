; icount_pit: reads of the 8254's channel 0 inside one straight-line block
; (the assembly half; icount_pit.c sets the channel up and prints).  The
; run uses -icount shift=10 (icount_pit.args): 1024 ns per instruction,
; about 1.22 PIT ticks, so the counter moves between two instructions of
; one block.  Every function starts on a 512-byte boundary and is shorter
; than 497 bytes, so no page end falls inside it (a block ends before an
; instruction that starts within 15 bytes of one).
bits 32
section .text

; Latch channel 0 (AL must be 0) and read the count, low byte then high
; byte, into REG16 (BX or CX): 5 instructions from the latch on.
%macro LATCH 2   ; low, high byte registers
        out 0x43, al
        in al, 0x40
        mov %1, al
        in al, 0x40
        mov %2, al
%endmacro

; Two latches GAP instructions apart (from the first latching OUT to the
; second); returns the first count minus the second, modulo 2^16 (the
; ticks between them while the channel counts down from 65536).
%macro LATCH_PAIR 2   ; name, gap (>= 6)
global %1
        align 512
%1:
        push ebx
        xor eax, eax
        LATCH bl, bh            ; first latch: instruction 0
        times %2 - 6 nop        ; 5 .. gap-2
        mov al, 0               ; gap-1
        LATCH cl, ch            ; second latch: instruction gap
        movzx eax, bx
        movzx ecx, cx
        sub eax, ecx
        and eax, 0xffff
        pop ebx
        ret
%endmacro

LATCH_PAIR pit_latch_gap10, 10
LATCH_PAIR pit_latch_gap100, 100
LATCH_PAIR pit_latch_gap200, 200

; Program channel 0 (mode 2, binary, initial count 0 = 65536), then latch
; it GAP instructions after the write of the count's high byte, which
; starts the count; returns 65536 minus the count read, modulo 2^16: the
; ticks counted since the write.
%macro LOAD_THEN_LATCH 2   ; name, gap (>= 1)
global %1
        align 512
%1:
        mov al, 0x34
        out 0x43, al
        xor eax, eax
        out 0x40, al            ; low byte of the count
        out 0x40, al            ; high byte: the count starts, instruction 0
        times %2 - 1 nop        ; 1 .. gap-1
        LATCH cl, ch            ; latch: instruction gap
        movzx eax, cx
        neg eax
        and eax, 0xffff
        ret
%endmacro

LOAD_THEN_LATCH pit_load_gap10, 10
LOAD_THEN_LATCH pit_load_gap100, 100
LOAD_THEN_LATCH pit_load_gap200, 200

section .note.GNU-stack noalloc noexec nowrite progbits
