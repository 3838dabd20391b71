/**
 * The studio page's vendored scripts (resources, no classes; see README.txt here), opened like
 * {@code io.graphloop.studio.web}. Internal, not API.
 */
package io.graphloop.studio.web.vendor;
