import Blits from '@lightningjs/blits'

/** Shown while the origin does not answer: the app keeps retrying with backoff and recovers on its own. */
export default Blits.Component('OfflineBanner', {
  template: `
    <Element :show="$visible" x="96" y="954" w="1728" h="72" color="#8a5a00" :inspector-data="{testid: 'offline-banner', shown: $visible}">
      <Text :content="$message" size="30" color="#ffffff" x="28" y="18" maxwidth="1680" maxlines="1" />
    </Element>
  `,
  props: ['visible', 'message'],
})
