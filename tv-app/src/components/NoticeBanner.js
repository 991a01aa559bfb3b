import Blits from '@lightningjs/blits'

/** The class-suspension notice: across the top, above every page, until the viewer dismisses it with OK. */
export default Blits.Component('NoticeBanner', {
  template: `
    <Element :show="$visible" x="96" y="140" w="1728" h="190" color="#b3261e" :inspector-data="{testid: 'notice-banner', shown: $visible}">
      <Text :content="$heading" size="40" color="#ffffff" x="36" y="20" :inspector-data="{testid: 'notice-title'}" />
      <Text :content="$text" size="32" color="#ffffff" x="36" y="78" maxwidth="1500" maxlines="2" :inspector-data="{testid: 'notice-text'}" />
      <Text :content="$hint" size="26" color="#ffe0dc" x="1420" y="28" />
    </Element>
  `,
  props: ['visible', 'heading', 'text', 'hint'],
})
