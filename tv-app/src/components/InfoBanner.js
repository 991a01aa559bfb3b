import Blits from '@lightningjs/blits'

/** Live info banner: channel number and name, now/next with start–end times and how far "now" has got. */
export default Blits.Component('InfoBanner', {
  template: `
    <Element :show="$visible" x="96" y="700" w="1728" h="300" color="#0b1a2bdd" :inspector-data="{testid: 'info-banner', shown: $visible}">
      <Text :content="$channelLabel" size="44" color="#f5b301" x="36" y="24" :inspector-data="{testid: 'info-channel'}" />
      <Text :content="$clock" size="36" color="#a9bdd3" x="1560" y="28" />
      <Text :content="$nowLabel" size="26" color="#a9bdd3" x="36" y="98" />
      <Text :content="$nowTitle" size="38" color="#ffffff" x="200" y="92" maxwidth="1200" maxlines="1" :inspector-data="{testid: 'info-now'}" />
      <Text :content="$nowTimes" size="30" color="#ffffff" x="1450" y="98" />
      <Element x="200" y="150" w="1480" h="10" color="#2b4a6b">
        <Element :w="1480 * $progress" h="10" color="#f5b301" :inspector-data="{testid: 'info-progress'}" />
      </Element>
      <Text :content="$nextLabel" size="26" color="#a9bdd3" x="36" y="196" />
      <Text :content="$nextTitle" size="34" color="#d6e2ef" x="200" y="192" maxwidth="1200" maxlines="1" :inspector-data="{testid: 'info-next'}" />
      <Text :content="$nextTimes" size="28" color="#d6e2ef" x="1450" y="196" />
      <Text :content="$hint" size="24" color="#a9bdd3" x="200" y="250" />
    </Element>
  `,
  props: [
    'visible',
    'channelLabel',
    'clock',
    'nowLabel',
    'nowTitle',
    'nowTimes',
    'nextLabel',
    'nextTitle',
    'nextTimes',
    'progress',
    'hint',
  ],
})
