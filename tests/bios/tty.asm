; tty.asm - a hard disk boot sector that writes with INT 10h: teletype
; (AH=0Eh) and write string (AH=13h, with and without attributes), which
; the BIOS mirrors on COM1 (run.sh compares tty.com1 under jet86;
; SeaBIOS's serial console under qemu -nographic shows the same lines
; after its banner and escape sequences, but buffers them and loses the
; last ones at the exit, so it is not compared there), and reads the
; cursor back (AH=03h) on the debug console, which QEMU confirms.
bits 16
org 0x7c00

%include "boot.inc"
    mov ax, 0x0003              ; mode 3: cursor at 0,0
    int 0x10
    mov si, hello
.l: lodsb
    test al, al
    jz .done
    mov ah, 0x0e
    xor bh, bh
    int 0x10
    jmp .l
.done:
    mov ah, 0x03
    xor bh, bh
    int 0x10
    PRINT 'after teletype: dx='
    mov ax, dx
    call hex16
    call nl
    ; AH=13h AL=1: string at ES:BP at row 3 column 0, cursor moves
    mov ax, 0x1301
    mov bx, 0x0007
    mov cx, s13len
    mov dx, 0x0300
    mov bp, s13
    int 0x10
    mov ah, 0x03
    xor bh, bh
    int 0x10
    PRINT 'after write string: dx='
    mov ax, dx
    call hex16
    call nl
    ; AL=3: characters and attributes alternate; the cursor moves
    mov ax, 0x1303
    mov cx, 4
    mov dx, 0x0400
    mov bp, s13a
    int 0x10
    mov ah, 0x03
    xor bh, bh
    int 0x10
    PRINT 'after attributes: dx='
    mov ax, dx
    call hex16
    call nl
    call exit

hello: db "Hello, teletype", 13, 10, "second line", 13, 10, 0
s13: db "write string", 13, 10
s13len equ $ - s13
s13a: db 'a', 7, 'b', 7, 13, 7, 10, 7

BOOT_SIGNATURE
times 512 * 64 - ($ - $$) db 0
