; floppy.asm - a 1.44 MB floppy image (-fda) whose boot sector tests
; INT 13h on a floppy: AH=08h (drive type, geometry, the diskette
; parameter table), AH=15h, CHS reads across heads and tracks, a CHS
; write (AH=03h; run.sh finds it in the image file), an EDD
; call floppies do not have (41h), and INT 11h's floppy bits. Results on
; the debug console.
bits 16
org 0x7c00

; the rest of the program: LBA 1-2 (C0 H0 S2-3) to 0000:7E00
%define STAGE2_SECTORS 2
%include "boot.inc"

main:
    PRINT 'floppy boot: dl='
    mov al, dl
    call hex8
    call nl

    PRINT 'int13 08:'
    mov ah, 0x08
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' bl='
    mov al, bl
    call hex8
    PRINT ' cx='
    mov ax, cx
    call hex16
    PRINT ' dx='
    mov ax, dx
    call hex16
    PRINT ' dpt-sectors='
    mov al, [es:di + 4]
    call hex8
    call nl
    xor ax, ax
    mov es, ax

    PRINT 'int13 15:'
    mov ah, 0x15
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' ah='
    mov al, ah
    call hex8
    call nl

    ; LBA 19 = C0 H1 S2; LBA 1439 = C39 H1 S18; LBA 2879 = C79 H1 S18
    mov cx, 0x0002
    mov dh, 1
    call readsec
    mov cx, (39 << 8) | 18
    mov dh, 1
    call readsec
    mov cx, (79 << 8) | 18
    mov dh, 1
    call readsec
    ; sector 19 is past the end of a track: an error
    PRINT 'int13 02 sector 19:'
    mov ax, 0x0201
    mov cx, 19
    xor dh, dh
    mov dl, [drive]
    mov bx, 0x1000
    int 0x13
    call printcf
    call nl

    ; AH=03h: write LBA 20 (C0 H1 S3) from 0x2000, read it back
    mov di, 0x2000
    mov si, s_wr
    mov cx, 16
    rep movsb
    PRINT 'int13 03 c/h/s 0/1/3:'
    mov ax, 0x0301
    mov cx, 0x0003
    mov dh, 1
    mov dl, [drive]
    mov bx, 0x2000
    int 0x13
    call printcf
    PRINT ' al='
    call hex8
    call nl
    mov cx, 0x0003
    mov dh, 1
    call readsec

    PRINT 'int13 41:'
    mov ah, 0x41
    mov bx, 0x55aa
    mov dl, [drive]
    int 0x13
    call printcf
    call nl

    PRINT 'int11 floppy bits: '
    int 0x11
    and ax, 0x00c1
    call hex16
    call nl
    call exit

s_wr: db "FLOPPY-WRITTEN", 0, 0

; readsec: one sector at CX/DH (AH=02h form) to 0x1000, print its text
readsec:
    PRINT 'int13 02 c/h/s '
    mov al, ch
    call hex8
    mov al, '/'
    call putc
    mov al, dh
    call hex8
    mov al, '/'
    call putc
    mov al, cl
    call hex8
    PRINT ':'
    mov ax, 0x0201
    mov dl, [drive]
    mov bx, 0x1000
    int 0x13
    call printcf
    PRINT ' data='
    mov byte [0x1000 + 15], 0
    mov si, 0x1000
    call puts
    call nl
    ret

times 512 * 19 - ($ - $$) db 0
db "FLOPPY-LBA-19", 0
times 512 * 1439 - ($ - $$) db 0
db "FLOPPY-LBA-1439", 0
times 512 * 2879 - ($ - $$) db 0
db "FLOPPY-LBA-2879", 0
times 1474560 - ($ - $$) db 0
