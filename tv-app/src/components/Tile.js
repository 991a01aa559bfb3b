import Blits from '@lightningjs/blits'

/** One tile of a rail: a label and a second line; focus and "selected" (underline) colours come from the page. */
export default Blits.Component('Tile', {
  template: `
    <Element :w="$w" h="96" :color="$color" :inspector-data="$inspector">
      <Element y="90" :w="$w" h="6" :color="$underlineColor" />
      <Text :content="$label" size="28" :color="$textColor" x="16" y="14" :maxwidth="$w - 32" maxlines="1" />
      <Text :content="$sub" size="22" :color="$textColor" x="16" y="56" :maxwidth="$w - 32" maxlines="1" />
    </Element>
  `,
  // Colours come precomputed from the page: plain props update reliably where computed-from-props may not.
  props: ['label', 'sub', 'w', 'color', 'textColor', 'underlineColor', 'inspector'],
})
