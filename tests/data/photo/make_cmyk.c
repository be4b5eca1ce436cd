/* Writes tests/data/photo/cmyk.jpg, the CMYK JPEG tests/pdfa.py checks
 * PDF/A refuses: 16 x 16 pixels of a cyan-magenta gradient, through
 * libjpeg (cc make_cmyk.c -ljpeg && ./a.out cmyk.jpg). */
#include <stdio.h>

#include <jpeglib.h>

int main(int argc, char **argv) {
  FILE *f = argc > 1 ? fopen(argv[1], "wb") : NULL;
  if (!f)
    return 1;
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr e;
  c.err = jpeg_std_error(&e);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = 16;
  c.image_height = 16;
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 75, TRUE);
  jpeg_start_compress(&c, TRUE);
  unsigned char row[16 * 4];
  for (int y = 0; y < 16; y++) {
    for (int x = 0; x < 16; x++) {
      row[4 * x] = (unsigned char)(x * 16);
      row[4 * x + 1] = (unsigned char)(y * 16);
      row[4 * x + 2] = 128;
      row[4 * x + 3] = 0;
    }
    JSAMPROW r = row;
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  return fclose(f) ? 1 : 0;
}
