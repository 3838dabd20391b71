package io.graphloop.studio;

/** The studio's scenarios ({@link StudioScenarios}) in headless Chromium. */
class StudioChromiumIT extends StudioScenarios {

  @Override
  String browserName() {
    return "chromium";
  }
}
