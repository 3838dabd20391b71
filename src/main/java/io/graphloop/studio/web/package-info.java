/**
 * The studio page's files (resources, no classes), served by {@code StudioRoutes} through vertx-web's static handler,
 * which reads them with a class loader: module-info.java opens this package (and {@code vendor}) to everyone so that
 * it can on the module path. Internal, not API.
 */
package io.graphloop.studio.web;
