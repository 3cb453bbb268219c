#ifndef FLEETLINT_CLIBXML2_SHIM_H
#define FLEETLINT_CLIBXML2_SHIM_H

/*
 * Debian's libxml2 is built with ICU, so <libxml/encoding.h> includes <unicode/ucnv.h>. Swift's
 * Foundation ships its own, newer ICU (module _FoundationICU), and the two definitions of
 * `UErrorCode` clash in any Swift module that imports both. fleetlint never uses libxml2's ICU
 * converters, so skip the system ICU header (by its include guard) and declare the two opaque types
 * encoding.h mentions.
 */
#include <stdint.h>
#ifndef UCNV_H
#define UCNV_H
typedef struct UConverter UConverter;
typedef uint16_t UChar;
#endif

#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
#endif
