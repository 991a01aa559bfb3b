import Blits from '@lightningjs/blits'
import PosterTile from './PosterTile.js'
import Tile from './Tile.js'

/**
 * A titled horizontal rail; the page passes only the tiles in view (windowed), already positioned: text tiles in
 * `tiles`, lessons with a poster in `posterTiles`.
 */
export default Blits.Component('Rail', {
  components: { Tile, PosterTile },
  template: `
    <Element :inspector-data="$inspector">
      <Text :content="$title" size="28" :color="$titleColor" x="0" y="0" />
      <Tile
        :for="tile in $tiles"
        key="$tile.key"
        :x="$tile.x"
        y="42"
        :w="$tile.w"
        :label="$tile.label"
        :sub="$tile.sub"
        :color="$tile.color"
        :textColor="$tile.textColor"
        :underlineColor="$tile.underlineColor"
        :inspector="$tile.inspector"
      />
      <PosterTile
        :for="tile in $posterTiles"
        key="$tile.key"
        :x="$tile.x"
        y="42"
        :w="$tile.w"
        :label="$tile.label"
        :sub="$tile.sub"
        :poster="$tile.poster"
        :color="$tile.color"
        :textColor="$tile.textColor"
        :underlineColor="$tile.underlineColor"
        :inspector="$tile.inspector"
      />
    </Element>
  `,
  props: ['title', 'titleColor', 'tiles', 'posterTiles', 'inspector'],
})
