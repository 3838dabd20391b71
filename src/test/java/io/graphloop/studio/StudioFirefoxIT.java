package io.graphloop.studio;

/** The studio's scenarios ({@link StudioScenarios}) in headless Firefox. */
class StudioFirefoxIT extends StudioScenarios {

  @Override
  String browserName() {
    return "firefox";
  }
}
