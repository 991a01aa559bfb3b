import Blits from '@lightningjs/blits'

/**
 * A lesson tile with its poster: the 16:9 picture (ondemand/rail-layout.ts RAILS.posterH at tile width) and the
 * title and second line under it, on a card that takes the focus colour; the underline marks the chosen item.
 */
export default Blits.Component('PosterTile', {
  template: `
    <Element :w="$w" h="209" :color="$color" :inspector-data="$inspector">
      <Element x="0" y="0" :w="$w" h="147" :src="$poster" :inspector-data="{testid: 'tile-poster', src: $poster}" />
      <Text :content="$label" size="26" :color="$textColor" x="12" y="155" :maxwidth="$w - 24" maxlines="1" />
      <Text :content="$sub" size="20" :color="$textColor" x="12" y="184" :maxwidth="$w - 24" maxlines="1" />
      <Element y="203" :w="$w" h="6" :color="$underlineColor" />
    </Element>
  `,
  props: ['label', 'sub', 'poster', 'w', 'color', 'textColor', 'underlineColor', 'inspector'],
})
