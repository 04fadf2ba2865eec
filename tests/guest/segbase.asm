; segbase: protected-mode segments with non-zero bases (the assembly half;
; segbase.c sets the descriptors and prints).  Selectors, set by the C side:
;   0x48 data, base 0x600000     0x50 data, base 0x610000
;   0x58 data (stack), base 0x620000
;   0x60 32-bit code, base 0x630000 (segbase_code copied there, offset 0)
;   0x68 16-bit data (stack, B=0), base 0x640000, limit 0xffff
bits 32
SEL_DA equ 0x48
SEL_DB equ 0x50
SEL_SS equ 0x58
SEL_CS equ 0x60

section .text
; void segbase_ds_es(void): DS = A, ES = B, then plain and string accesses
global segbase_ds_es
segbase_ds_es:
        pushad
        push ds
        push es
        mov ax, SEL_DA
        mov ds, ax
        mov ax, SEL_DB
        mov es, ax
        mov dword [0x10], 0x11111111          ; 0x600010
        mov eax, [0x10]
        add eax, 0x22222222
        mov [0x14], eax                       ; 0x600014 = 33333333
        mov esi, 0x10
        mov edi, 0x20
        mov ecx, 2
        cld
        rep movsd                             ; DS:0x10 -> ES:0x20 = 0x610020
        mov edi, 0x30
        mov eax, 0xabababab
        mov ecx, 3
        rep stosd                             ; ES:0x30.. = 0x610030
        mov esi, 0x14
        lodsd                                 ; DS:0x14
        mov [es:0x40], eax                    ; 0x610040 = 33333333
        mov ebx, 0x10
        mov ecx, 1
        mov eax, [ebx + ecx * 4]              ; DS:0x14 via SIB
        mov [es:ebx + 0x40], eax              ; 0x610050
        pop es
        pop ds
        popad
        ret

; void segbase_ss(void): SS = base 0x620000, ESP = 0x1000: pushes land at
; 0x620ffc.., and an EBP-based access defaults to SS
global segbase_ss
segbase_ss:
        pushad
        mov [saved_esp], esp
        mov ax, SEL_SS
        mov ss, ax
        mov esp, 0x1000
        push dword 0x5555aaaa                 ; 0x620ffc
        push dword 0x6666bbbb                 ; 0x620ff8
        mov ebp, esp
        mov eax, [ebp + 4]                    ; SS:0xffc
        push eax                              ; 0x620ff4
        pop ebx
        pop ecx
        pop edx
        mov ax, 0x10
        mov ss, ax
        mov esp, [saved_esp]
        mov [ss_results], ebx
        mov [ss_results + 4], ecx
        mov [ss_results + 8], edx
        popad
        ret

; void segbase_ss16(void): SS = a 16-bit stack segment (B=0, base 0x640000):
; PUSH and POP use SP only, wrap at 64 KiB and keep ESP's upper half
SEL_SS16 equ 0x68
global segbase_ss16
segbase_ss16:
        pushad
        mov [saved_esp], esp
        mov ax, SEL_SS16
        mov ss, ax
        mov esp, 0xabcd0000
        push dword 0x13572468                 ; SP 0000 -> fffc: 0x64fffc, within the limit
        mov [ss16_results], esp
        pop eax
        mov [ss16_results + 4], esp
        mov [ss16_results + 8], eax
        mov ax, 0x10
        mov ss, ax
        mov esp, [saved_esp]
        popad
        ret

; void segbase_cs(void): far call into the copy at CS base 0x630000
global segbase_cs
segbase_cs:
        pushad
        call SEL_CS:0
        mov [cs_results], eax
        mov [cs_results + 4], edx
        popad
        ret

; Copied to 0x630000 and run with CS = SEL_CS (offset 0): position-
; independent code; CALL/RET within the segment, then a #UD whose frame
; must show EIP as an offset in this segment; returns with RETF.
global segbase_code, segbase_code_end
segbase_code:
        call .next                            ; pushes the offset of .next
.next:  pop edx                               ; EDX = offset of .next = 5
        mov eax, 0x42
        call .sub
        ud2                                   ; #UD at an offset in this segment
        retf
.sub:   add eax, 1
        ret
segbase_code_end:

section .data
saved_esp: dd 0
global ss_results, cs_results, ss16_results
ss16_results: dd 0, 0, 0
ss_results: dd 0, 0, 0
cs_results: dd 0, 0

section .note.GNU-stack noalloc noexec nowrite progbits
