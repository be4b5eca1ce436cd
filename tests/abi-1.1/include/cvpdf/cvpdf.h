/* cvpdf - umbrella header.  Section plugins include this and nothing else. */
#ifndef CVPDF_H
#define CVPDF_H
#define CVPDF_H_IN

#include <cvpdf/cvpdf-plugin.h>
#include <cvpdf/cvpdf-util.h>

#undef CVPDF_H_IN
#endif
