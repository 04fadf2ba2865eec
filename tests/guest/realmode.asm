; realmode: leave protected mode for real mode and come back (SDM 3A 9.9.2).
; realmode_run() copies the 16-bit blob below to 0x8000, jumps to it through
; a 16-bit code segment, clears CR0.PE, runs real-mode tests that print on
; COM1 themselves (16-bit arithmetic, the 16-bit addressing modes, segment
; arithmetic, 66/67 prefixes, IVT interrupts, #DE through the IVT, far
; CALL/RET, PUSHF/POPF, IRQ0 through the IVT waking HLT, the x87 with
; 16-bit addressing and its 14-byte environment), sets CR0.PE again and
; returns to 32-bit code. In the ROM build (rt/rom_entry.asm) the blob
; prints on the debug console, port 0xE9, as the runtime does:
; realmode_run patches putc's first bytes into a jump to putc_e9, which lies
; at the blob's end so that no offset the tests print moves.
bits 32
RT_ROM_MAGIC equ 0x524f4d21            ; rt.h
RM_BASE equ 0x8000
RM_SEG equ RM_BASE >> 4
%define OFF(x) ((x) - rm_start)

section .data
saved_esp: dd 0
saved_idtr: dw 0
            dd 0

section .text
extern rt_mb_magic
global realmode_run
realmode_run:
        pushad
        cli
        sidt [saved_idtr]
        mov [saved_esp], esp
        mov esi, rm_start
        mov edi, RM_BASE
        mov ecx, rm_end - rm_start
        cld
        rep movsb
        cmp dword [rt_mb_magic], RT_ROM_MAGIC
        jne .com1
        mov byte [RM_BASE + OFF(putc)], 0xe9      ; JMP rel16
        mov word [RM_BASE + OFF(putc) + 1], OFF(putc_e9) - OFF(putc) - 3
.com1:  jmp 0x18:OFF(pm16_entry)      ; 16-bit code segment, base RM_BASE

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

; ---------------------------------------------------------------------------
; Everything from here to rm_end runs at RM_BASE and addresses its data
; relative to rm_start, with CS = DS = ES = SS = RM_SEG in real mode.
bits 16
rm_start:
pm16_entry:
        mov ax, 0x20                   ; 16-bit data segment, base RM_BASE
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
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
        xor ax, ax
        mov fs, ax
        mov gs, ax
        mov sp, 0xfff0

        mov si, OFF(msg_hello)
        call print_str

        ; 16-bit arithmetic and flags
        mov ax, 0x7fff
        add ax, 1
        pushf
        call print_hex16               ; 8000
        pop ax
        and ax, 0x08d5
        call print_hex16               ; flags: OF SF AF PF = 0x0894
        mov ax, 1234
        mov bx, 56
        mul bx                         ; DX:AX = 69104 = 0x10DF0
        call print_hex16
        mov ax, dx
        call print_hex16
        mov ax, 0x1234
        mov dx, 0x0005
        mov bx, 0x100
        div bx                         ; 0x51234 / 0x100 = 0x512 r 0x34
        call print_hex16
        mov ax, dx
        call print_hex16
        call newline

        ; 16-bit addressing modes over a table at OFF(table)
        mov bx, OFF(table)
        mov si, 2
        mov di, 4
        mov ax, [bx + si]              ; table[1]
        call print_hex16
        mov ax, [bx + di + 2]          ; table[3]
        call print_hex16
        mov bp, OFF(table)             ; [bp+...] uses SS (same base here)
        mov ax, [bp + si + 6]          ; table[4]
        call print_hex16
        mov ax, [bp + di]              ; table[2]
        call print_hex16
        mov si, OFF(table) + 10
        mov ax, [si]                   ; table[5]
        call print_hex16
        mov ax, [OFF(table) + 12]      ; table[6]
        call print_hex16
        mov bx, 0xfffe                 ; [bx+si] wraps at 64 KiB
        mov si, OFF(table) + 16
        mov ax, [bx + si]              ; table[7]
        call print_hex16
        lea ax, [bx + si + 0x10]       ; 16-bit effective address wraps
        call print_hex16
        call newline

        ; segment arithmetic: ES = DS + 0x100 paragraphs sees DS:1000
        mov word [0x1000], 0xcafe
        mov ax, RM_SEG + 0x100
        mov es, ax
        mov ax, [es:0]
        call print_hex16
        mov word [es:2], 0xbabe
        mov ax, [0x1002]
        call print_hex16
        ; FS = 0: absolute addressing of the same byte
        mov ax, [fs:RM_BASE + 0x1000]
        call print_hex16
        mov ax, RM_SEG
        mov es, ax
        call newline

        ; 66 and 67 prefixes: 32-bit operands and addresses in real mode
        mov eax, 0x12345678
        add eax, 0x11111111
        push eax
        call print_hex16               ; low half 6789
        pop eax
        shr eax, 16
        call print_hex16               ; high half 2345
        mov ebx, OFF(table)
        mov ecx, 3
        mov ax, [ebx + ecx * 2]        ; 67: 32-bit SIB addressing, table[3]
        call print_hex16
        mov edx, 0xffff0000
        movzx eax, word [OFF(table)]
        add edx, eax
        mov eax, edx
        shr eax, 16
        call print_hex16               ; ffff
        call newline

        ; IVT: INT 0x60 to our handler, #DE through vector 0
        mov word [fs:0x60 * 4], OFF(rm_int60)
        mov word [fs:0x60 * 4 + 2], RM_SEG
        push word [fs:0]
        push word [fs:2]
        mov word [fs:0], OFF(rm_de)
        mov word [fs:2], RM_SEG
        mov ax, 0x1111
        sti
        int 0x60
        cli
        call print_hex16               ; 2222 from the handler
        mov ax, [OFF(int_flags)]
        and ax, 0x0200
        call print_hex16               ; IF was set in the saved FLAGS: 0200
        mov ax, 10
        xor dx, dx
        xor bx, bx
        div bx                         ; #DE: handler skips the 2-byte DIV
        mov ax, [OFF(de_seen)]
        call print_hex16               ; 1
        pop word [fs:2]
        pop word [fs:0]

        ; far call / far return and PUSHF/POPF
        call RM_SEG:OFF(far_func)
        call print_hex16               ; 4242
        mov ax, 0x08d5
        push ax
        popf
        pushf
        pop ax
        and ax, 0x0fd5
        call print_hex16               ; 08d5
        push word 0x0002
        popf
        call newline

        ; IRQ0 (remapped to vector 0x20 by the runtime, unmasked by the C
        ; side) through the IVT: three HLTs, each woken by one tick
        push word [fs:0x20 * 4]
        push word [fs:0x20 * 4 + 2]
        mov word [fs:0x20 * 4], OFF(rm_irq0)
        mov word [fs:0x20 * 4 + 2], RM_SEG
        mov word [OFF(rm_ticks)], 0
        sti
        hlt
        hlt
        hlt
        cli
        pop word [fs:0x20 * 4 + 2]
        pop word [fs:0x20 * 4]
        mov ax, [OFF(rm_ticks)]
        call print_hex16               ; 0003
        call newline

        ; the x87 in real mode: 16-bit addressing, FNSTSW AX, and the
        ; 14-byte environment (CW SW TW; the pointer words of the real-mode
        ; layout are not printed: QEMU stores the protected-mode ones)
        fninit
        fild word [OFF(table) + 2]     ; 0x1111
        mov bx, OFF(table)
        mov si, 4
        fiadd word [bx + si]           ; + 0x2222
        fistp word [OFF(fpu_res)]
        mov ax, [OFF(fpu_res)]
        call print_hex16               ; 3333
        fld1
        fldz
        fcom st1
        fnstsw ax
        call print_hex16               ; 3100: TOP 6, C0 (0 < 1)
        fnstenv [OFF(fpu_env)]
        mov ax, [OFF(fpu_env)]
        call print_hex16               ; 037f
        mov ax, [OFF(fpu_env) + 2]
        call print_hex16               ; 3100
        mov ax, [OFF(fpu_env) + 4]
        call print_hex16               ; 1fff: R6 zero, R7 valid
        fninit
        call newline

        mov si, OFF(msg_bye)
        call print_str

        ; back to protected mode
        cli
        mov eax, cr0
        or eax, 1
        mov cr0, eax
        jmp dword 0x08:pm32_back

rm_int60:
        push bp
        mov bp, sp
        mov bx, [bp + 6]               ; saved FLAGS
        mov [OFF(int_flags)], bx
        pop bp
        mov ax, 0x2222
        iret

rm_de:
        push bp
        mov bp, sp
        add word [bp + 2], 2           ; skip "div bx"
        pop bp
        mov word [OFF(de_seen)], 1
        iret

far_func:
        mov ax, 0x4242
        retf

rm_irq0:
        push ax
        inc word [cs:OFF(rm_ticks)]
        mov al, 0x20                   ; EOI to the master PIC
        out 0x20, al
        pop ax
        iret

; print the NUL-terminated string at DS:SI
print_str:
        lodsb
        test al, al
        jz .done
        call putc
        jmp print_str
.done:  ret

; print AX as 4 hex digits and a space; all registers kept
print_hex16:
        push ax
        push cx
        push dx
        mov dx, ax
        mov cx, 4
.digit: rol dx, 4
        mov al, dl
        and al, 0x0f
        add al, '0'
        cmp al, '9'
        jbe .put
        add al, 'a' - '9' - 1
.put:   call putc
        loop .digit
        mov al, ' '
        call putc
        pop dx
        pop cx
        pop ax
        ret

newline:
        push ax
        mov al, 13
        call putc
        mov al, 10
        call putc
        pop ax
        ret

; write AL to COM1 once the transmitter holding register is empty
putc:
        push dx
        push ax
        mov dx, 0x3fd
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop ax
        mov dx, 0x3f8
        out dx, al
        pop dx
        ret

rm_idtr:   dw 0x3ff
           dd 0
int_flags: dw 0
de_seen:   dw 0
rm_ticks:  dw 0
fpu_res:   dw 0
fpu_env:   times 14 db 0
table:     dw 0x1000, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777
msg_hello: db "real mode: entered", 13, 10, 0
msg_bye:   db "real mode: leaving", 13, 10, 0

; the ROM build's putc: AL to the debug console, the CR left out
putc_e9:
        cmp al, 13
        je .done
        out 0xe9, al
.done:  ret
rm_end:

section .note.GNU-stack noalloc noexec nowrite progbits
