; kbd.asm - a hard disk boot sector that feeds scan codes (set 1) to the
; BIOS's keyboard interrupt through the 8042's "write keyboard output
; buffer" command (D2h: the byte comes back as if the keyboard sent it,
; with IRQ1), then reads what INT 16h made of them: the grey keys
; (E0-prefixed), the keypad with and without Num Lock, Shift, Ctrl, Alt
; and right Ctrl/Alt combinations, F1-F12, Caps Lock, Alt + keypad digits,
; Insert, the fake shifts around grey keys; each through AH=10h (the
; extended calls) and some through AH=00h (the 84-key ones, which change
; E0h to 0 and drop the keys an 84-key keyboard lacks), then the shift
; flags of AH=12h. QEMU with SeaBIOS prints the same (kbd.qemu-expected)
; but for two things it leaves out and the IBM PC/AT BIOS has: the code
; typed with Alt + keypad digits (0041h for Alt 6 5), and Insert toggling
; the insert state (417h bit 7).
bits 16
org 0x7c00

%define STAGE2_SECTORS 3 ; sectors 2-4 at 0000:7E00
%include "boot.inc"

main:
    sti
    ; empty the buffer of anything typed before
.drain:
    mov ah, 0x11
    int 0x16
    jz .drained
    mov ah, 0x10
    int 0x16
    jmp .drain
.drained:
    PRINT 'flags: '
    call flags
    call nl
    mov si, vectors
.vector:
    lodsb               ; the read: 10h AH=10h, 01h AH=00h; 0 the end
    test al, al
    jz .end
    mov bl, al
    and bl, 0x10        ; 01h in the table: AH=00h
    lodsb               ; the number of bytes
    movzx cx, al
    push si
    mov al, bl
    call hex8
    PRINT ':'
.bytes:
    lodsb
    call inject
    loop .bytes
    PRINT ' keys'
    call keys
    PRINT ' flags='
    call flags
    call nl
    pop si
    movzx ax, byte [si - 1]
    add si, ax
    jmp .vector
.end:
    jmp exit

; inject: AL through the 8042 as a byte from the keyboard; returns once
; IRQ1 took it from the output buffer
inject:
    push ax
.w1:
    in al, 0x64
    test al, 2
    jnz .w1
    mov al, 0xd2
    out 0x64, al
.w2:
    in al, 0x64
    test al, 2
    jnz .w2
    pop ax
    out 0x60, al
.w3:
    in al, 0x64
    test al, 1
    jnz .w3
    ret

; keys: every key in the buffer, read with AH=BL (00h or 10h), in hex
keys:
    push ax
.next:
    mov ah, bl
    inc ah              ; 01h or 11h: is there one?
    int 0x16
    jz .done
    mov ah, bl
    int 0x16
    push ax
    mov al, ' '
    call putc
    pop ax
    call hex16
    jmp .next
.done:
    pop ax
    ret

; flags: AH=12h's AX
flags:
    mov ah, 0x12
    int 0x16
    call hex16
    ret

; the read (10h: AH=10h, 01h: AH=00h), the count, the scan codes
vectors:
    db 0x10, 4, 0xe0, 0x48, 0xe0, 0xc8              ; grey up
    db 0x01, 4, 0xe0, 0x48, 0xe0, 0xc8              ; the same, 84-key call
    db 0x10, 2, 0x48, 0xc8                          ; keypad 8, no Num Lock
    db 0x10, 6, 0x45, 0xc5, 0x48, 0xc8, 0x45, 0xc5  ; with Num Lock
    db 0x10, 4, 0x1d, 0x2e, 0xae, 0x9d              ; ctrl-c
    db 0x10, 4, 0x38, 0x1e, 0x9e, 0xb8              ; alt-a
    db 0x10, 4, 0x3b, 0xbb, 0x58, 0xd8              ; F1, F12
    db 0x01, 4, 0x3b, 0xbb, 0x58, 0xd8              ; F12 not for 00h
    db 0x10, 8, 0xe0, 0x1c, 0xe0, 0x9c, 0xe0, 0x35, 0xe0, 0xb5 ; kp enter, /
    db 0x01, 8, 0xe0, 0x1c, 0xe0, 0x9c, 0xe0, 0x35, 0xe0, 0xb5
    db 0x10, 4, 0xe0, 0x1d, 0x1e, 0x9e              ; right ctrl held, a
    db 0x10, 2, 0xe0, 0x9d                          ; released
    db 0x10, 4, 0xe0, 0x38, 0x2c, 0xac              ; right alt held, z
    db 0x10, 2, 0xe0, 0xb8
    db 0x10, 4, 0x2a, 0x0f, 0x8f, 0xaa              ; shift-tab
    db 0x10, 12, 0x3a, 0xba, 0x1e, 0x9e, 0x2a, 0x1e, 0x9e, 0xaa, 0x3a, 0xba, 0x1e, 0x9e ; caps
    db 0x10, 6, 0x38, 0x4d, 0xcd, 0x4c, 0xcc, 0xb8  ; alt + keypad 6 5
    db 0x10, 8, 0xe0, 0x2a, 0xe0, 0x47, 0xe0, 0xc7, 0xe0, 0xaa ; fake shift, home
    db 0x10, 6, 0x1d, 0xe0, 0x48, 0xe0, 0xc8, 0x9d  ; ctrl + grey up
    db 0x01, 6, 0x1d, 0xe0, 0x48, 0xe0, 0xc8, 0x9d
    db 0x10, 6, 0x38, 0xe0, 0x4b, 0xe0, 0xcb, 0xb8  ; alt + grey left
    db 0x10, 12, 0x1d, 0x3f, 0xbf, 0x9d, 0x2a, 0x44, 0xc4, 0xaa, 0x38, 0x02, 0x82, 0xb8 ; ctrl-F5 shift-F10 alt-1
    db 0x10, 10, 0x0e, 0x8e, 0x01, 0x81, 0x1c, 0x9c, 0x1d, 0x1c, 0x9c, 0x9d ; bs esc enter ctrl-enter
    db 0x10, 4, 0xe0, 0x52, 0xe0, 0xd2              ; grey insert
    db 0x10, 4, 0xe0, 0x52, 0xe0, 0xd2              ; again
    db 0x10, 8, 0xe0, 0x47, 0xe0, 0xc7, 0xe0, 0x4f, 0xe0, 0xcf ; grey home, end
    db 0x10, 8, 0xe0, 0x49, 0xe0, 0xc9, 0xe0, 0x51, 0xe0, 0xd1 ; grey pgup, pgdn
    db 0x10, 4, 0xe0, 0x53, 0xe0, 0xd3              ; grey del
    db 0x10, 6, 0x1d, 0x47, 0xc7, 0x9d, 0x4a, 0xca  ; ctrl-home (keypad), kp -
    db 0

times 2048-($-$$) db 0
