// libusb-1.0 for Swift. Debian: libusb-1.0-0-dev. The header sits in a multiarch-independent
// include folder, so it is named relative to the system include path, never absolutely.
#include <libusb-1.0/libusb.h>
