; icount_tsc: pairs of RDTSC in one straight-line block (the assembly half;
; icount_tsc.c prints).  Each function returns in EDX:EAX the second TSC
; reading minus the first.  Run with -icount shift=0: every instruction
; takes 1 ns of virtual time and the TSC counts nanoseconds, so the
; difference is the number of instructions from the first RDTSC (itself
; included) to the second, whatever instruction of its block each is.
; Every function starts on a 512-byte boundary and is shorter than 497
; bytes, so no page end falls inside it (a block ends before an
; instruction that starts within 15 bytes of one).
bits 32
section .data
align 4
tsc_buf: dd 0, 0, 0, 0

section .text
; A function NAME on a 512-byte boundary: RDTSC, then its value into
; EDI:ESI, 3 instructions.
%macro TSC_START 1   ; name
        align 512
global %1
%1:
        push esi
        push edi
        push ebx
        rdtsc
        mov esi, eax
        mov edi, edx
%endmacro
%macro TSC_END 0
        rdtsc
        sub eax, esi
        sbb edx, edi
        pop ebx
        pop edi
        pop esi
        ret
%endmacro

; nothing between: 3
        TSC_START tsc_back_to_back
        TSC_END

; 100 NOPs: 103
        TSC_START tsc_nops
        times 100 nop
        TSC_END

; 41 ALU instructions: 44
        TSC_START tsc_alu
        mov ecx, 3
        %rep 10
        add ebx, ecx
        imul ecx, ebx, 7
        xor ebx, 0x55
        lea ecx, [ebx + ecx * 2 + 1]
        %endrep
        TSC_END

; 50 loads, stores, pushes and pops: 53
        TSC_START tsc_mem
        %rep 10
        mov [tsc_buf], esi
        mov ecx, [tsc_buf + 4]
        add [tsc_buf + 8], ecx
        push ecx
        pop ebx
        %endrep
        TSC_END

; three port reads of devices (port 0x61, the PIC mask, COM1's line
; status) and a MOV: 7
        TSC_START tsc_io
        in al, 0x61
        in al, 0x21
        mov edx, 0x3fd
        in al, dx
        TSC_END

; 300 NOPs: 303, across the block-size limit (256 instructions)
        TSC_START tsc_long
        times 300 nop
        TSC_END

section .note.GNU-stack noalloc noexec nowrite progbits
