import Blits from '@lightningjs/blits'

/** The settings rows (label, value), laid out and coloured by the Settings page. */
export default Blits.Component('SettingsList', {
  template: `
    <Element>
      <Element
        :for="row in $rows"
        key="$row.key"
        x="0"
        :y="$row.y"
        w="1100"
        h="100"
        :color="$row.color"
        :inspector-data="$row.inspector"
      >
        <Text :content="$row.label" size="36" :color="$row.textColor" x="36" y="28" />
        <Text :content="$row.value" size="36" :color="$row.textColor" x="640" y="28" />
      </Element>
    </Element>
  `,
  props: ['rows'],
})
