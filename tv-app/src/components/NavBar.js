import Blits from '@lightningjs/blits'

/** The page tabs (Live · Guide · On demand · Settings), laid out by pages/tabs.js `navTabs()`. */
export default Blits.Component('NavBar', {
  template: `
    <Element x="96" y="54">
      <Text content="空中课堂" size="40" color="#f5b301" y="4" />
      <Element
        :for="tab in $tabs"
        key="$tab.key"
        :x="$tab.x"
        y="0"
        :w="$tab.w"
        h="56"
        :color="$tab.color"
        :inspector-data="$tab.inspector"
      >
        <Text :content="$tab.label" size="30" :color="$tab.textColor" x="20" y="10" />
      </Element>
    </Element>
  `,
  props: ['tabs'],
})
