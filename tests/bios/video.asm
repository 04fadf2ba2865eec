; video.asm - a hard disk boot sector that draws on the VGA text screen
; with INT 10h: mode 3, a string with colour attributes (AH=13h AL=3),
; a character repeated (AH=09h), teletype lines, a window scrolled up
; with a new attribute (AH=06h) and one scrolled down (AH=07h), the
; cursor moved (AH=02h) and read back (AH=03h), characters read back
; with their attributes (AH=08h), the DAC's default brown (AX=1015h),
; the font information (AX=1130h) and the display combination (AH=1Ah).
; What the calls return goes to the debug console, which QEMU (SeaBIOS
; and its VGA BIOS) confirms; under jet86 run.sh also compares the text
; screen at the exit with video.screen and COM1 (teletype and write
; string mirrored) with video.com1.
bits 16
org 0x7c00

%define STAGE2_SECTORS 2 ; sectors 2-3 at 0000:7E00
%include "boot.inc"

main:
    mov ax, 0x0003
    int 0x10
    mov ah, 0x0f
    int 0x10
    PRINT 'mode: ax='
    call hex16
    PRINT ' bh='
    mov al, bh
    call hex8
    call nl

    ; row 0: "Colours" in four attributes, the cursor moves
    mov ax, 0x1303
    mov bx, 0x0000
    mov cx, colours_len / 2
    mov dx, 0x0000
    mov bp, colours
    int 0x10
    ; row 2, column 4: ten '*' in yellow on blue, the cursor stays
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x0204
    int 0x10
    mov ax, 0x092a
    mov bx, 0x001e
    mov cx, 10
    int 0x10
    ; rows 4-9: teletype lines
    mov dx, 0x0400
    mov ah, 0x02
    int 0x10
    mov si, lines
.tty:
    lodsb
    test al, al
    jz .tty_done
    mov ah, 0x0e
    xor bh, bh
    int 0x10
    jmp .tty
.tty_done:
    ; scroll rows 4-9 up by 2, the new lines white on red
    mov ax, 0x0602
    mov bh, 0x4f
    mov cx, 0x0400
    mov dx, 0x094f
    int 0x10
    ; scroll the window (11,0)-(13,9) down by 1 after writing two rows
    mov ax, 0x1301
    mov bx, 0x0007
    mov cx, win_len
    mov dx, 0x0b00
    mov bp, win
    int 0x10
    mov ax, 0x0701
    mov bh, 0x2f
    mov cx, 0x0b00
    mov dx, 0x0d09
    int 0x10
    ; the cursor at row 20 column 33
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x1421
    int 0x10
    mov ah, 0x03
    xor bh, bh
    int 0x10
    PRINT 'cursor: dx='
    mov ax, dx
    call hex16
    call nl
    ; read back: row 0 column 1, row 2 column 4, row 8 column 0, row 12
    ; column 0 (moved down), row 11 column 0 (blank in 2Fh)
    mov dx, 0x0001
    call readback
    mov dx, 0x0204
    call readback
    mov dx, 0x0800
    call readback
    mov dx, 0x0500
    call readback
    mov dx, 0x0c00
    call readback
    mov dx, 0x0b00
    call readback
    ; DAC register 14h: the EGA palette's brown
    mov ax, 0x1015
    mov bx, 0x0014
    int 0x10
    PRINT 'dac 14: '
    mov al, dh
    call hex8
    mov al, ch
    call hex8
    mov al, cl
    call hex8
    call nl
    ; the 8x16 font: CX bytes a character, DL rows - 1, 'A' not blank
    push es
    push bp
    mov ax, 0x1130
    mov bh, 6
    int 0x10
    PRINT 'font: cx='
    mov ax, cx
    call hex16
    PRINT ' dl='
    mov al, dl
    call hex8
    xor ax, ax
    mov di, bp
    add di, 'A' * 16
    mov cx, 16
.orfont:
    or al, [es:di]
    inc di
    loop .orfont
    test al, al                 ; the glyphs differ: only "not blank"
    setnz al
    PRINT ' A:'
    call hex8
    call nl
    pop bp
    pop es
    ; display combination code
    mov ax, 0x1a00
    int 0x10
    PRINT 'dcc: al='
    call hex8
    PRINT ' bx='
    mov ax, bx
    call hex16
    call nl
    ; the cursor where the screen dump shows it
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x1600
    int 0x10
    call exit

; readback: move the cursor to DX, AH=08h, print "rc DX: AX"
readback:
    mov ah, 0x02
    xor bh, bh
    int 0x10
    mov ah, 0x08
    int 0x10
    PRINT 'cell '
    push ax
    mov ax, dx
    call hex16
    PRINT ': '
    pop ax
    call hex16
    call nl
    ret

colours: db 'C', 0x1f, 'o', 0x2e, 'l', 0x4f, 'o', 0x70, 'u', 0x1f, 'r', 0x2e
         db 's', 0x4f
colours_len equ $ - colours
lines: db "line 1", 13, 10, "line 2", 13, 10, "line 3", 13, 10
       db "line 4", 13, 10, "line 5", 13, 10, "line 6", 0
win: db "window 1", 13, 10, "window 2"
win_len equ $ - win

times 1536-($-$$) db 0
times 512 * 64 - ($ - $$) db 0
