; vbe2.asm - a hard disk boot sector that tries the VBE 2.0 functions
; beyond a mode set (tests/bios/vbe does those): in 640x480x8 with the
; linear framebuffer, the DAC width (4F08h: 6, then 8 bits), a palette
; entry of 8-bit components set through 4F09h (00h and 80h) and read back
; through the DAC's ports and 4F09h 01h, the width back to 6 and the same
; entry read again; the whole state saved (4F04h, CX=000Fh), mode 3 set,
; the state restored and the mode, DAC width and entry read back; 4F0Ah
; and its three 32-bit routines called from protected mode.
; What the calls return goes to the debug console. QEMU 7.2 with SeaBIOS
; and its VGA BIOS (-vga std) agrees on 4F02h, 4F03h, 4F04h and 4F08h;
; that VGA BIOS has no 4F09h or 4F0Ah (AX=0100h: vbe2.qemu-expected), so
; those lines are as the VBE 2.0 specification describes the calls.
bits 16
org 0x7c00

%define STAGE2_SECTORS 3 ; sectors 2-4 at 0000:7E00
%include "boot.inc"

PAL equ 0x1000   ; one palette entry: blue, green, red, pad
GOT equ 0x1010
STATE equ 0x2000 ; the 4F04h buffer

main:
    mov ax, 0x4f02
    mov bx, 0x4101
    int 0x10
    PRINT '4f02: ax='
    call hex16
    call nl
    mov ax, 0x4f08
    mov bl, 1
    int 0x10
    PRINT '4f08 get: ax='
    call hex16
    PRINT ' bh='
    mov al, bh
    call hex8
    call nl
    mov ax, 0x4f08
    mov bx, 0x0800
    int 0x10
    PRINT '4f08 set 8: ax='
    call hex16
    PRINT ' bh='
    mov al, bh
    call hex8
    call nl
    mov dword [PAL], 0x004180ff
    mov ax, 0x4f09
    mov bl, 0
    mov cx, 1
    mov dx, 5
    mov di, PAL
    int 0x10
    PRINT '4f09 set: ax='
    call hex16
    call dac5
    mov dword [PAL], 0x00c0d0e0
    mov ax, 0x4f09
    mov bl, 0x80
    mov cx, 1
    mov dx, 6
    mov di, PAL
    int 0x10
    PRINT '4f09 set 80h: ax='
    call hex16
    call get56
    mov ax, 0x4f08
    mov bx, 0x0600
    int 0x10
    PRINT '4f08 set 6: ax='
    call hex16
    PRINT ' bh='
    mov al, bh
    call hex8
    call nl
    mov ax, 0x4f09
    mov bl, 0
    mov cx, 1
    mov dx, 6
    mov di, PAL
    mov dword [PAL], 0x00102030
    int 0x10
    PRINT '4f09 set 6-bit: ax='
    call hex16
    call get56
    ; the state: 8-bit DAC again, saved, mode 3, restored
    mov ax, 0x4f08
    mov bx, 0x0800
    int 0x10
    mov ax, 0x4f04
    mov dl, 0
    mov cx, 0x000f
    int 0x10
    PRINT '4f04 size: ax='
    call hex16
    PRINT ' blocks<=16:'
    cmp bx, 16
    call yesno_be
    call nl
    mov ax, 0x4f04
    mov dl, 1
    mov cx, 0x000f
    mov bx, STATE
    int 0x10
    PRINT '4f04 save: ax='
    call hex16
    mov ax, 0x0003
    int 0x10
    mov ax, 0x4f04
    mov dl, 2
    mov cx, 0x000f
    mov bx, STATE
    int 0x10
    PRINT ' restore: ax='
    call hex16
    mov ax, 0x4f03
    int 0x10
    PRINT ' 4f03: bx='
    mov ax, bx
    call hex16
    mov ax, 0x4f08
    mov bl, 1
    int 0x10
    PRINT ' dac bits='
    mov al, bh
    call hex8
    call dac5
    mov ax, 0x4f0a
    mov bl, 0
    int 0x10
    PRINT '4f0a: ax='
    call hex16
    call nl
    cmp ax, 0x004f
    jne .no_pm
    call pm_calls
.no_pm:
    mov ax, 0x0003
    int 0x10
    jmp exit

; pm_calls: the table's three routines called from 32-bit protected mode
; (flat segments, the code where ES:DI says, in the ROM): with lines of
; 1024 pixels (4F06h), bank 2, the display start at line 3 pixel 8 (3080
; bytes: 770 in CX), entry 9 of the palette; then the DISPI's bank and offsets and the entry, read
; back in real mode.
TABLE equ 0x1100
pm_calls:
    push es
    push di
    mov ax, 0x4f06
    mov bl, 0
    mov cx, 1024
    int 0x10
    pop di
    pop es
    movzx eax, word [es:di]
    mov [TABLE], eax
    movzx eax, word [es:di + 2]
    mov [TABLE + 4], eax
    movzx eax, word [es:di + 4]
    mov [TABLE + 8], eax
    mov ax, es
    movzx eax, ax
    shl eax, 4
    movzx edx, di
    add eax, edx
    add [TABLE], eax
    add [TABLE + 4], eax
    add [TABLE + 8], eax
    xor ax, ax
    mov es, ax
    mov dword [PAL], 0x00112233
    cli
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp 0x08:.pm32
bits 32
.pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ebx, ebx
    mov edx, 2
    call [TABLE]
    xor ebx, ebx
    mov ecx, 770
    xor edx, edx
    call [TABLE + 4]
    xor ebx, ebx
    mov ecx, 1
    mov edx, 9
    mov edi, PAL
    call [TABLE + 8]
    jmp 0x18:.pm16
bits 16
.pm16:
    mov ax, 0x20
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xfe
    mov cr0, eax
    jmp 0:.rm
.rm:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    sti
    PRINT 'pm: bank='
    mov ax, 5
    call dispi
    PRINT ' x='
    mov ax, 8
    call dispi
    PRINT ' y='
    mov ax, 9
    call dispi
    PRINT ' dac9='
    mov al, 9
    call dac_rgb
    call nl
    ret

; dispi: DISPI register AX in hex
dispi:
    mov dx, 0x1ce
    out dx, ax
    inc dx
    in ax, dx
    call hex16
    ret

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff ; 08h: 32-bit code, flat
    dq 0x00cf92000000ffff ; 10h: 32-bit data, flat
    dq 0x00009a000000ffff ; 18h: 16-bit code, base 0
    dq 0x000092000000ffff ; 20h: 16-bit data, base 0
gdtr:
    dw gdtr - gdt - 1
    dd gdt

; dac5: entry 5 read through the DAC's ports
dac5:
    PRINT ' dac5='
    mov al, 5
    call dac_rgb
    call nl
    ret

; dac_rgb: DAC entry AL read through the DAC's ports: red, green and blue
; in hex (AL, CX, DX changed)
dac_rgb:
    mov dx, 0x3c7
    out dx, al
    mov dx, 0x3c9
    mov cx, 3
.c:
    in al, dx
    call hex8
    loop .c
    ret

; get56: entries 5 and 6 through 4F09h 01h, as dwords
get56:
    mov ax, 0x4f09
    mov bl, 1
    mov cx, 2
    mov dx, 5
    mov di, GOT
    int 0x10
    PRINT ' get: ax='
    call hex16
    mov eax, [GOT]
    PRINT ' '
    call hex32
    mov eax, [GOT + 4]
    PRINT ' '
    call hex32
    call nl
    ret

; yesno_be: "yes" if the last compare was below or equal
yesno_be:
    jbe .y
    PRINT 'no'
    ret
.y:
    PRINT 'yes'
    ret

times 2048-($-$$) db 0
