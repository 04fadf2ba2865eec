; fwcfg_rom.asm - a 128 KiB raw firmware image for -bios that talks to
; QEMU's fw_cfg device (devices/fw_cfg.c, QEMU's docs/specs/fw_cfg) as
; firmware does, and prints on the debug console (port 0xE9) what it got:
; the signature and ID through the selector (0x510) and data (0x511)
; ports, the DMA register's read-back ("QEMU CFG"), whether the file
; directory has entries (its count differs between boards), and DMA
; transfers with the access structure in RAM at 0x1000: select+read of
; the signature, a read past the item's end (zeros), a skip, a refused
; write (error bit), and a read into the BIOS ROM at 0xF0000.
; The read into ROM sets the error bit and leaves the ROM as it was, in
; jet86 and QEMU alike. Bochs has no fw_cfg (fwcfg_rom.nobochs: not run
; there). Exit: isa-debug-exit at 0xF4 (status 1).

        bits 16
        org 0

        times 0x10000 db 0xff   ; first 64 KiB: unused

start:
        cli
        xor ax, ax
        mov ss, ax
        mov sp, 0x7000
        mov ax, cs
        mov ds, ax

        ; signature: select 0, four bytes from the data port
        mov si, m_sig - 0x10000
        call puts
        mov ax, 0
        call select
        mov cx, 4
.sig:   call data
        out 0xe9, al
        loop .sig
        call nl

        ; ID: its low byte
        mov si, m_id - 0x10000
        call puts
        mov ax, 1
        call select
        call data
        call puthex8
        call nl

        ; the directory: a big-endian count, non-zero
        mov si, m_dir - 0x10000
        call puts
        mov ax, 0x19
        call select
        xor bx, bx
        mov cx, 4
.dir:   call data
        or bl, al
        loop .dir
        mov al, bl
        test al, al
        setnz al
        call puthex8
        call nl

        ; the DMA register reads "QEMU CFG"
        mov si, m_dmasig - 0x10000
        call puts
        mov dx, 0x514
        mov cx, 8
.dsig:  in al, dx
        out 0xe9, al
        inc dx
        loop .dsig
        call nl

        ; DMA: select 0 and read 4 bytes to 0x2000
        mov eax, 0x0000000a     ; key 0, SELECT | READ
        mov ebx, 4
        mov edx, 0x2000
        call dma
        mov si, m_read - 0x10000
        call dmaresult

        ; DMA: read on, 4 more bytes: past the end, zeros
        mov eax, 0x00000002     ; READ
        mov ebx, 4
        mov edx, 0x2000
        call dma
        mov si, m_past - 0x10000
        call dmaresult

        ; DMA: select 0, skip 2, read 2: "MU"
        mov eax, 0x0000000c     ; key 0, SELECT | SKIP
        mov ebx, 2
        mov edx, 0
        call dma
        mov eax, 0x00000002
        mov ebx, 2
        mov edx, 0x2000
        call dma
        mov si, m_skip - 0x10000
        call dmaresult

        ; DMA: a write to the signature: refused
        mov eax, 0x00000018     ; key 0, SELECT | WRITE
        mov ebx, 4
        mov edx, 0x2000
        call dma
        mov si, m_write - 0x10000
        call dmaresult

        ; DMA: a read into the ROM at 0xF0000
        mov eax, 0x0000000a
        mov ebx, 4
        mov edx, 0xf0000
        call dma
        mov si, m_rom - 0x10000
        call puts
        push ds
        xor ax, ax
        mov ds, ax
        mov eax, [0x1000]
        pop ds
        bswap eax
        call puthex32
        mov si, m_romnow - 0x10000
        call puts
        push ds
        mov ax, 0xf000
        mov ds, ax
        mov eax, [0]
        pop ds
        call puthex32
        call nl

        mov si, m_done - 0x10000
        call puts
        mov al, 0
        out 0xf4, al
.hang:  hlt
        jmp .hang

; select AX
select: mov dx, 0x510
        out dx, ax
        ret
; AL: the next data byte
data:   push dx
        mov dx, 0x511
        in al, dx
        pop dx
        ret

; dma: control EAX, length EBX, address EDX; the structure at 0x1000
dma:    push ds
        push es
        xor cx, cx
        mov es, cx
        mov dword [es:0x2000], 0x55555555
        bswap eax
        mov [es:0x1000], eax
        bswap ebx
        mov [es:0x1004], ebx
        mov dword [es:0x1008], 0
        bswap edx
        mov [es:0x100c], edx
        mov dx, 0x514
        xor eax, eax
        out dx, eax             ; high half: 0
        mov eax, 0x1000
        bswap eax
        mov dx, 0x518
        out dx, eax             ; low half: starts the transfer
        pop es
        pop ds
        ret

; print SI, then "ctl XXXXXXXX buf XXXXXXXX"
dmaresult:
        call puts
        push ds
        xor ax, ax
        mov ds, ax
        mov eax, [0x1000]
        mov ebx, [0x2000]
        pop ds
        bswap eax
        push ebx
        call puthex32
        mov si, m_buf - 0x10000
        call puts
        pop eax
        call puthex32
        call nl
        ret

puts:   lodsb
        test al, al
        jz .ret
        out 0xe9, al
        jmp puts
.ret:   ret

nl:     mov al, 10
        out 0xe9, al
        ret

puthex32:
        push eax
        shr eax, 16
        call puthex16
        pop eax
puthex16:
        push ax
        mov al, ah
        call puthex8
        pop ax
puthex8:
        push ax
        shr al, 4
        call .digit
        pop ax
        push ax
        and al, 15
        call .digit
        pop ax
        ret
.digit: add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'a' - '9' - 1
.out:   out 0xe9, al
        ret

m_sig:    db "signature ", 0
m_id:     db "id ", 0
m_dir:    db "directory has files ", 0
m_dmasig: db "dma register reads ", 0
m_read:   db "dma select+read: ctl ", 0
m_past:   db "dma read past the end: ctl ", 0
m_skip:   db "dma skip 2, read 2: ctl ", 0
m_write:  db "dma write: ctl ", 0
m_rom:    db "dma read into ROM: ctl ", 0
m_romnow: db " rom ", 0
m_buf:    db " buf ", 0
m_done:   db "done", 10, 0

        times 0x1fff0 - ($ - $$) db 0xff
reset:  jmp 0xf000:start - 0x10000
        times 0x20000 - ($ - $$) db 0xff
