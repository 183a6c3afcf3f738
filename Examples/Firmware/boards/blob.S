/* The model blob, in flash: .incbin of the file named by -DFW_BLOB_PATH="…".
 * 16-byte aligned, as Model(referencing:) requires; never copied to RAM. */
#define STR2(x) #x
#define STR(x) STR2(x)
    .section .fixednet_blob, "a"
    .balign 16
    .global fw_blob_start, fw_blob_end
fw_blob_start:
    .incbin STR(FW_BLOB_PATH)
fw_blob_end:
