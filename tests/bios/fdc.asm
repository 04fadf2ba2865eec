; fdc.asm - a 1.44 MB floppy image (-fda) whose boot sector checks that
; the BIOS's INT 13h and the floppy controller itself see the same disk:
; a sector read with INT 13h AH=02h and the same sector read by
; programming the 82077AA (reset, SPECIFY, RECALIBRATE, READ DATA by DMA
; channel 2, IRQ 6 through a handler of its own) agree; a sector written
; through the controller (WRITE DATA) is what INT 13h then reads, and is
; in the image file after the run (run.sh; under -snapshot it is not).
; And the CMOS bytes that say a 1.44M drive A: is there.
bits 16
org 0x7c00

; the rest of the program: LBA 1-3 (C0 H0 S2-4) to 0000:7E00
%define STAGE2_SECTORS 3
%include "boot.inc"

main:
    ; CMOS: the drive types (A: in the high nibble) and the equipment
    ; byte's floppy bits (bit 0 present, bits 7-6 count - 1)
    PRINT 'cmos 10='
    mov al, 0x10
    out 0x70, al
    in al, 0x71
    call hex8
    PRINT ' 14&c1='
    mov al, 0x14
    out 0x70, al
    in al, 0x71
    and al, 0xc1
    call hex8
    call nl

    ; INT 13h: C0 H1 S2 (LBA 19) to 0x1000
    PRINT 'int13 02 c/h/s 0/1/2:'
    mov ax, 0x0201
    mov cx, 0x0002
    mov dh, 1
    mov dl, [drive]
    mov bx, 0x1000
    int 0x13
    call printcf
    call nl

    ; IRQ 6 (vector 0Eh) to our handler, unmasked; the BIOS's back at the end
    cli
    mov eax, [0x0e * 4]
    mov [old_vec], eax
    mov word [0x0e * 4], irq6
    mov word [0x0e * 4 + 2], 0
    in al, 0x21
    mov [old_mask], al
    and al, ~0x40
    out 0x21, al
    sti

    ; reset: DOR nRESET low, then high with DMA/IRQ enabled and motor A on
    mov byte [irqs], 0
    mov dx, 0x3f2
    xor al, al
    out dx, al
    mov al, 0x1c
    out dx, al
    call wait_irq
    mov cx, 4
.sense:
    mov al, 0x08
    call fdc_out
    call fdc_result
    loop .sense
    PRINT 'reset: sense 3 st0='
    mov al, [res]
    call hex8
    call nl
    ; 500 kb/s, SPECIFY (DMA mode), RECALIBRATE drive 0
    mov dx, 0x3f7
    xor al, al
    out dx, al
    mov si, c_specify
    mov cx, 3
    call fdc_cmd
    mov si, c_recal
    mov cx, 2
    call fdc_cmd
    call wait_irq
    mov al, 0x08
    call fdc_out
    call fdc_result
    PRINT 'recalibrate: st0='
    mov al, [res]
    call hex8
    PRINT ' pcn='
    mov al, [res + 1]
    call hex8
    call nl

    ; READ DATA C0 H1 R2 by DMA to 0x2000
    mov bx, 0x2000
    mov ah, 0x46
    call dma_setup
    mov si, c_read
    mov cx, 9
    call fdc_cmd
    call wait_irq
    call fdc_result
    PRINT 'fdc read c/h/r 0/1/2:'
    call show_result
    mov si, 0x1000
    mov di, 0x2000
    mov cx, 512
    repe cmpsb
    jne .differ
    PRINT ' agrees with int13 data='
    mov byte [0x2000 + 15], 0
    mov si, 0x2000
    call puts
    call nl
    jmp .write
.differ:
    PRINT ' differs from int13'
    call nl

.write:
    ; WRITE DATA C0 H1 R3 (LBA 20) from 0x3000 by DMA
    mov di, 0x3000
    mov si, s_wr
    mov cx, 16
    rep movsb
    mov cx, 512 - 16
    xor al, al
    rep stosb
    mov bx, 0x3000
    mov ah, 0x4a
    call dma_setup
    mov si, c_write
    mov cx, 9
    call fdc_cmd
    call wait_irq
    call fdc_result
    PRINT 'fdc write c/h/r 0/1/3:'
    call show_result
    call nl

    ; the BIOS's handler and mask back, then INT 13h reads what was written
    cli
    mov eax, [old_vec]
    mov [0x0e * 4], eax
    mov al, [old_mask]
    out 0x21, al
    sti
    PRINT 'int13 02 c/h/s 0/1/3:'
    mov ax, 0x0201
    mov cx, 0x0003
    mov dh, 1
    mov dl, [drive]
    mov bx, 0x1000
    int 0x13
    call printcf
    PRINT ' data='
    mov byte [0x1000 + 15], 0
    mov si, 0x1000
    call puts
    call nl
    PRINT 'irq 6: '
    mov al, [irqs]
    call hex8
    call nl
    call exit

irq6:
    push ax
    inc byte [cs:irqs]
    mov al, 0x20
    out 0x20, al
    pop ax
    iret

; wait_irq: until [irqs] changes (bounded), then remember the count
wait_irq:
    push ecx
    mov ecx, 20000000
.w:
    mov al, [irqs]
    cmp al, [seen]
    jne .got
    dec ecx
    jnz .w
    PRINT 'no irq 6'
    call nl
.got:
    mov al, [irqs]
    mov [seen], al
    pop ecx
    ret

; fdc_out: AL to the FIFO once the MSR says RQM and not DIO
fdc_out:
    push dx
    push ecx
    mov ah, al
    mov ecx, 1000000
    mov dx, 0x3f4
.w:
    in al, dx
    and al, 0xc0
    cmp al, 0x80
    je .go
    dec ecx
    jnz .w
.go:
    inc dx
    mov al, ah
    out dx, al
    pop ecx
    pop dx
    ret

; fdc_cmd: CX bytes from SI
fdc_cmd:
    lodsb
    call fdc_out
    loop fdc_cmd
    ret

; fdc_result: the result phase into res (at most 8 bytes)
fdc_result:
    push cx
    push di
    push ecx
    mov di, res
    mov ecx, 2000000
.w:
    mov dx, 0x3f4
    in al, dx
    and al, 0xd0
    cmp al, 0xd0
    jne .idle
    inc dx
    in al, dx
    mov [di], al
    inc di
    cmp di, res + 8
    je .done
    jmp .w
.idle:
    cmp di, res
    je .more
    cmp al, 0x80
    je .done
.more:
    dec ecx
    jnz .w
.done:
    pop ecx
    pop di
    pop cx
    ret

; show_result: ST0 ST1 ST2 C H R N
show_result:
    PRINT ' st0-2/c/h/r/n='
    mov si, res
    mov cx, 7
.n:
    lodsb
    call hex8
    mov al, ' '
    call putc
    loop .n
    ret

; dma_setup: channel 2, 512 bytes at BX (page 0), mode AH
dma_setup:
    mov al, 0x06
    out 0x0a, al
    out 0x0c, al
    mov al, ah
    out 0x0b, al
    mov al, bl
    out 0x04, al
    mov al, bh
    out 0x04, al
    xor al, al
    out 0x81, al
    mov al, 0xff
    out 0x05, al
    mov al, 0x01
    out 0x05, al
    mov al, 0x02
    out 0x0a, al
    ret

c_specify: db 0x03, 0xdf, 0x02
c_recal: db 0x07, 0x00
c_read: db 0x66, 0x04, 0, 1, 2, 2, 18, 0x1b, 0xff
c_write: db 0x45, 0x04, 0, 1, 3, 2, 18, 0x1b, 0xff
s_wr: db "FDC-WRITTEN", 0, 0, 0, 0, 0
irqs: db 0
seen: db 0
old_mask: db 0
old_vec: dd 0
res: times 8 db 0

times 512 * 19 - ($ - $$) db 0
db "FLOPPY-LBA-19", 0
times 1474560 - ($ - $$) db 0
